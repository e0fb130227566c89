"""Printing: QR opt-in cards, contact cards and follow-up / briefing sheets as PDF.

Everything here is pure Python over reportlab and qrcode, both imported lazily inside the
functions that draw, so importing this package is cheap. Public entry points:

- :func:`netapp.printing.cards.lookup_card` — match a card code read back from a sign-up
  list to its batch and meeting (or reject it when mistyped).
- :func:`netapp.printing.cards.plan_cards`, :func:`~netapp.printing.cards.print_cards`.
- :func:`netapp.printing.sheets.followup_sheet`, :func:`~netapp.printing.sheets.briefing_sheet`.
"""
