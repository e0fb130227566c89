"""Sync with the world outside this database, only when the user has set it up.

``netapp.sync`` sits above the other features: it carries their data elsewhere (CardDAV
carries people as interchange's vCards). Nothing here opens a connection unless the user has
configured it. ``netapp.sync.carddav`` is two-way sync with a CardDAV address book.
"""
