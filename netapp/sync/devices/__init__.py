"""Device sync (issue 19): one ledger on every device, merged by a CRDT (Yjs, via pycrdt).

SQLite stays the store the app reads; the Yjs document is the replication log, carried as
numbered immutable update files in a folder the user syncs. ``run`` is the entry point
(``join``, ``sync``, ``status``); ``tables`` says what is synced; ``replica`` holds the
document and the merge rules; ``capture`` turns local writes into updates; ``materialise``
writes merged rows into SQLite; ``files`` is the transport. docs/DEVELOPING.md has the design.
"""
