"""Writes one fixture per class of import error in issue 21, byte for byte (run once; the files
are committed under ``fixtures/spec/``).

Each file is written from the specification of its format, not from netapp's reader:
vCard 3.0 is RFC 2426 (with RFC 2425 for line folding and escapes), vCard 4.0 RFC 6350, vCard
2.1 the versit specification (quoted-printable, bare TYPE parameters, the AGENT property that
nests a card); Google Contacts and Outlook CSV are the columns those programs write.
``test_spec_classes.py`` asserts what netapp must make of each.
"""

from __future__ import annotations

import base64
from pathlib import Path

HERE = Path(__file__).parent / "fixtures" / "spec"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def crlf(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def rows(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOGLE = (
    "Name,Given Name,Additional Name,Family Name,Organization 1 - Name,Organization 1 - Title,"
    "Birthday,Notes,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Address 1 - Country"
)
OUTLOOK = (
    "First Name,Middle Name,Last Name,Company,Job Title,E-mail Address,Mobile Phone,"
    "Business Phone,Birthday,Anniversary,Notes"
)

FILES: dict[str, bytes] = {
    # 1. RFC 2426 §3.3.1 TEL: numbers as typed. Without + or 00 the country is certain only
    # when the number is valid for the import's region (US in the test) or for the region the
    # card's own address names (ADR, RFC 2426 §3.2.1: the 7th component is the country).
    "c01_phone_country.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Ana Silva",
        "N:Silva;Ana;;;",
        "TEL;TYPE=WORK:0311111111",
        "TEL;TYPE=CELL:555-1234",
        "TEL;TYPE=HOME:+44 20 7946 0018",
        "TEL:0049 30 1234567",
        "TEL:(415) 555-2671",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Hans Weber",
        "N:Weber;Hans;;;",
        "ADR;TYPE=WORK:;;Unter den Linden 1;Berlin;;10117;Deutschland",
        "TEL;TYPE=WORK:030 1234567",
        "END:VCARD",
    ),
    # 2. RFC 6761 special-use names are syntactically valid domains; .local is RFC 6762. A
    # quoted local part and a domain literal are valid addr-specs too (RFC 5322 §3.4.1).
    "c02_special_use_emails.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Ann Lee",
        "N:Lee;Ann;;;",
        "EMAIL;TYPE=INTERNET:ann@example.invalid",
        "EMAIL;TYPE=INTERNET,WORK:ann.lee@corp.local",
        "EMAIL;TYPE=INTERNET:ann@printer.localhost",
        'EMAIL;TYPE=INTERNET:"ann lee"@example.com',
        "EMAIL;TYPE=INTERNET:ann@[192.0.2.10]",
        "EMAIL;TYPE=INTERNET:ann at corp",
        "END:VCARD",
    ),
    # 3. RFC 6350 §6.2.2 N: five components, each a comma list (the spec's own examples);
    # FN (§6.2.1) is the display name, N only when there is no FN (vCard 2.1 allows that).
    "c03_structured_names.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Mr. John Q. Public\\, Esq.",
        "N:Public;John;Quinlan;Mr.;Esq.",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Dr. John Richter James Doe",
        "N:Doe;John;Richter,James;Dr.;",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Stevenson;John;Philip,Paul;Dr.;Jr.,M.D.,A.C.P.",
        "END:VCARD",
    ),
    # 4. RFC 6350 §6.6.4 ORG and §6.6.1 TITLE may repeat; RFC 2425 §5.8.2 groups tie
    # properties together; PREF (RFC 6350 §5.3) and TYPE=pref (RFC 2426) say which is first.
    "c04_org_title_pairs.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Maria Rossi",
        "N:Rossi;Maria;;;",
        "ORG:Acme Ltd;Sales",
        "TITLE:Sales Manager",
        "ORG:Chamber of Commerce",
        "TITLE:Treasurer",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Tom Baker",
        "N:Baker;Tom;;;",
        "item1.ORG:Old Co",
        "item1.TITLE:Intern",
        "item2.TITLE:CEO",
        "item2.ORG;TYPE=pref:New Co",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Kim Park",
        "N:Park;Kim;;;",
        "ORG;PREF=2:Alpha",
        "TITLE;PREF=2:Analyst",
        "ORG;PREF=1:Beta",
        "TITLE;PREF=1:Director",
        "END:VCARD",
    ),
    # 5. RFC 6350 §3.4 / RFC 2426 §5: \\, \\; \\\\ \\n in text values; Gmail also escapes ".
    "c05_escapes.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Doe\\, Jane",
        "N:Doe;Jane;;;",
        "ORG:Smith\\, Jones \\& Co",
        "TITLE:VP\\, Sales\\; EMEA",
        'NOTE:She said \\"hi\\"\\, then left\\; back soon\\nC:\\\\temp\\Nend',
        "CATEGORIES:a\\,b,c",
        "END:VCARD",
    ),
    # 6. RFC 6350 §6.4.1 TEL with a tel: URI and ;ext= (RFC 3966), and x102 as typed.
    "c06_phone_extensions.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Front Desk",
        "N:Desk;Front;;;",
        "TEL;VALUE=uri;TYPE=work:tel:+1-418-656-9254;ext=102",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Back Office",
        "N:Office;Back;;;",
        "TEL;TYPE=WORK:+1 418 656 9254 x103",
        "TEL;TYPE=HOME:(415) 555-2671 ext. 7",
        "END:VCARD",
    ),
    # 7. Encodings: UTF-16 without a BOM (both byte orders), legacy encodings of CSV exports.
    "c07_utf16le_nobom.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Jörg Müller",
        "N:Müller;Jörg;;;",
        "EMAIL:joerg@example.de",
        "END:VCARD",
    )
    .decode()
    .encode("utf-16-le"),
    "c07_utf16be_nobom.csv": rows(
        "Name,Given Name,Family Name,E-mail 1 - Value",
        "Zoë Ünal,Zoë,Ünal,zoe@example.tr",
        encoding="utf-16-be",
    ),
    "c07_shift_jis.csv": rows(
        GOOGLE,
        "山田 太郎,太郎,,山田,株式会社テスト,営業部長,,,* Work,taro@yamada.example,Mobile,"
        "090-1234-5678,日本",
        "鈴木 花子,花子,,鈴木,NTTドコモ,,,,,hanako@suzuki.example,,,",
        encoding="cp932",
    ),
    "c07_windows_1252.csv": rows(
        OUTLOOK,
        "Françoise,,Renée,Café Crème,Gérante,francoise@cafe.example,,,,,“Bonjour” – à bientôt",
        "Søren,,Smørrebrød,Dansk Æble,,soren@aeble.example,,,,,",
        encoding="cp1252",
    ),
    "c07_iso_8859_2.csv": rows(
        GOOGLE,
        "Łukasz Wróbel,Łukasz,,Wróbel,Świątek i Spółka,Dyrektor,,,,lukasz@zagiel.example,,,",
        "Małgorzata Kowalska,Małgorzata,,Kowalska,,,,,,gosia@example.pl,,,",
        encoding="iso-8859-2",
    ),
    "c07_undecodable.csv": (
        OUTLOOK.encode() + b"\r\n"
        b"Ren\xc3\xa9e,,Dupont,,,renee@example.fr,,,,,\r\n"
        b"H\xe9l\xe8ne,,Martin,,,helene@example.fr,,,,,\r\n"
    ),
    # 8. RFC 2425 §5.8.2: a group name may prefix any line, BEGIN and END included; vCard
    # 2.1 §2.3.5 AGENT holds a whole vCard, nested in its parent.
    "c08_card_structure.vcf": crlf(
        "home.BEGIN:VCARD",
        "home.VERSION:3.0",
        "home.FN:Grouped Greta",
        "home.N:Greta;Grouped;;;",
        "home.EMAIL:greta@example.se",
        "home.END:VCARD",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Boss;Barbara",
        "FN:Barbara Boss",
        "TEL;WORK:+1-213-555-1234",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Friday;Fred",
        "FN:Fred Friday",
        "TEL;WORK:+1-213-555-5678",
        "END:VCARD",
        "EMAIL;INTERNET:barbara@boss.example",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:After Agent",
        "N:Agent;After;;;",
        "END:VCARD",
    ),
    # 9. CSV dialects: RFC 4180 says comma, but Excel in much of Europe writes semicolons,
    # some tools tabs; and a CSV need not have a header row (RFC 4180 §2.3).
    "c09_semicolon.csv": rows(
        OUTLOOK.replace(",", ";"),
        "Jan;;Jansen;Jansen BV;Eigenaar;jan@jansen.example;+31 6 12345678;;;;Koffie, geen thee",
    ),
    "c09_tab.csv": rows(
        GOOGLE.replace(",", "\t"),
        "Priya Patel\tPriya\t\tPatel\tPatel & Sons, Ltd\tDirector\t\t\t\tpriya@patel.example\t\t\t",
    ),
    "c09_no_header.csv": rows(
        "Kofi,Mensah,kofi@mensah.example,+233 24 123 4567",
        "Ama,Owusu,ama@owusu.example,+233 20 765 4321",
    ),
    # 10. RFC 5322 §3.4 name-addr: a display name and the address in angle brackets.
    "c10_display_name_email.csv": rows(
        OUTLOOK,
        'Omega,,Smith,,,"""Omega"" <omega@example.com>",,,,,',
        "Alpha,,Jones,,,Alpha Jones <alpha@example.com>,,,,,",
    ),
    # 11. RFC 6350 §6.1.4 KIND:org; Apple writes X-ABShowAs:COMPANY in 3.0. A company card
    # with a person in N is that person at the company. A CSV row with only a company.
    "c11_organisations.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:org",
        "FN:Harbour Venue Ltd",
        "ORG:Harbour Venue Ltd",
        "EMAIL:events@harbour.example",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:;;;;",
        "FN:Chamber of Commerce",
        "ORG:Chamber of Commerce;",
        "X-ABShowAs:COMPANY",
        "TEL;TYPE=WORK:+44 20 7946 0001",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Okafor;Amara;;;",
        "FN:Okafor Supplies",
        "ORG:Okafor Supplies",
        "X-ABShowAs:COMPANY",
        "EMAIL:amara@okafor.example",
        "END:VCARD",
    ),
    "c11_organisations.csv": rows(
        GOOGLE,
        ",,,,Print Shop Ltd,,,,* Work,orders@printshop.example,,,",
    ),
    # 12. Dates: RFC 6350 §4.3.1 (19910120, --0120), RFC 2426 §3.1.5 (1991-01-20) and the
    # day-first or month-first dates of CSV exports.
    "c12_dates.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Dash Date",
        "BDAY:1991-01-20",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Basic Date",
        "BDAY:19910120",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:No Year",
        "BDAY:--0120",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Text Date",
        "BDAY;VALUE=text:circa 1800",
        "END:VCARD",
    ),
    "c12_dates_order.csv": rows(
        OUTLOOK,
        "Day,,First,,,,,,20/01/1991,,",
        "Also,,Dayfirst,,,,,,05/03/1980,,",
    ),
    "c12_dates_ambiguous.csv": rows(
        OUTLOOK,
        "Could,,Be,,,,,,05/03/1980,,",
        "Sure,,Enough,,,,,,05/05/1980,,",
    ),
    # 13. Everything a record could not keep is said, with the record's line.
    "c13_dropped.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Kept Karl",
        "N:Karl;Kept;;;",
        "EMAIL:karl@@example.com",
        "BDAY:sometime in May",
        "NICKNAME:Kalle",
        "ADR;TYPE=HOME:;;1 Main St;Springfield;;12345;USA",
        "PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(b"this is not an image").decode(),
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Linked Lena",
        "PHOTO:https://photos.example/lena.jpg",
        "END:VCARD",
    ),
    # Round trip: PHOTO;TYPE=HOME is not a media type; the bytes (a PNG) say what it is.
    "photo_type_home.vcf": crlf(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Photo Home",
        "PHOTO;ENCODING=b;TYPE=HOME:" + base64.b64encode(PNG).decode(),
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:Photo Wrong",
        "PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(PNG).decode(),
        "END:VCARD",
    ),
}


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
