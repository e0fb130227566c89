"""Data files shipped with netapp: icons, fonts, the default ask ladder, demo data.

Load them with :func:`netapp.resources.read_text` / :func:`netapp.resources.path`, never by file path.
"""
