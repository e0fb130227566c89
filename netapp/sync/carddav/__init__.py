"""Two-way CardDAV sync of people with an address book on a server (RFC 6352).

``dav`` speaks the protocol.
"""
