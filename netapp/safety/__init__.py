"""Data safety: backups and restore, encryption at rest, the log file, forgetting a person."""
