"""Writes the quirk fixtures byte for byte (run once; the files are committed).

Each file reproduces defects seen in real exports; the tests assert exact values read from them.
"""

from __future__ import annotations

import base64
from pathlib import Path

HERE = Path(__file__).parent / "fixtures"
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
B64 = base64.b64encode(PNG)


def crlf(*lines: bytes) -> bytes:
    return b"\r\n".join(lines) + b"\r\n"


FILES: dict[str, bytes] = {
    # Android 2.1: QP soft break inside a UTF-8 character (ü = C3 BC), bare TYPE params,
    # a multi-line QP note, a base64 photo with indented continuation lines.
    "android_21.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:2.1",
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=",
        b"=BCller;J=C3=B6rg;;;",
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=",
        b"=BCller",
        b"TEL;CELL;PREF:030 1234567",
        b"TEL;WORK;VOICE:+49 (0)30 7654321",
        b"EMAIL;INTERNET;HOME:joerg@example.de",
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Met at the Fr=C3=BChst=C3=BCck club=0D=0A=",
        b"Likes cycling",
        b"BDAY:1975-02-28",
        b"PHOTO;ENCODING=BASE64;PNG:",
        b"  " + B64[:40],
        b"  " + B64[40:],
        b"",
        b"END:VCARD",
    ),
    # Outlook 2.1 with CHARSET=Windows-1252 and a card with cp1252 bytes and no CHARSET.
    "outlook_cp1252.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:2.1",
        b"N;LANGUAGE=en-us;CHARSET=Windows-1252:Ren\xe9e;Fran\xe7oise",
        b"FN;CHARSET=Windows-1252:Fran\xe7oise Ren\xe9e",
        b"ORG;CHARSET=Windows-1252:Caf\xe9 Cr\xe8me;Ventes",
        b"TITLE:G\xe9rante",
        b"TEL;WORK;VOICE:01 42 68 53 00",
        b"EMAIL;PREF;INTERNET:francoise@cafe.example",
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:2.1",
        b"N:Sm\xf8rrebr\xf8d;S\xf8ren",
        b"FN:S\xf8ren Sm\xf8rrebr\xf8d",
        b"NOTE:\x93Quoted\x94 \x96 dash",
        b"END:VCARD",
    ),
    # Apple 3.0: item groups with X-ABLabel, escapes, https\://, omit-year birthday, a
    # folded line that splits a UTF-8 character, a group card and a company card.
    "apple_30.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"PRODID:-//Apple Inc.//macOS 14.0//EN",
        b"N:O'Brien;Siobh\xc3",
        b" \xa1n;;;",
        b"FN:Siobh\xc3\xa1n O'Brien",
        b"ORG:Smith\\, Jones & Co;",
        b"item1.EMAIL;type=INTERNET;type=pref:siobhan@sj.example",
        b"item1.X-ABLabel:Consulting",
        b"item2.TEL;type=pref:+353 1 234 5678",
        b"item2.X-ABLabel:_$!<Mobile>!$_",
        b"item3.URL;type=pref:https\\://sj.example/team",
        b"item3.X-ABLabel:_$!<HomePage>!$_",
        b"X-SOCIALPROFILE;type=linkedin:https\\://www.linkedin.com/in/siobhan-obrien",
        b"NOTE:Line one\\nLine two\\, with comma\\; semicolon \\\\ backslash",
        b"BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-17",
        b"CATEGORIES:Breakfast Club,Referral Partner",
        b"PHOTO;ENCODING=b;TYPE=PNG:" + B64,
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"FN:Breakfast Club",
        b"N:Breakfast Club;;;;",
        b"X-ADDRESSBOOKSERVER-KIND:group",
        b"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1234",
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"N:;;;;",
        b"FN:Acme Plumbing Ltd",
        b"ORG:Acme Plumbing Ltd;",
        b"TEL;type=WORK:+44 20 7946 0001",
        b"X-ABShowAs:COMPANY",
        b"END:VCARD",
    ),
    # Nextcloud / Google 4.0: TEL;VALUE=uri, --MMDD birthday, data: photo, KIND cards,
    # and names that must stay inert text.
    "nextcloud_40.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:4.0",
        b"UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
        b"FN:<script>alert(1)</script>",
        b"N:</script>;<script>;;;",
        b'ORG:=HYPERLINK("http://evil.example"\\,"click")',
        b'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-555-555-0100',
        b"TEL;VALUE=uri;TYPE=work:tel:+1-555-555-0101;ext=12",
        b"EMAIL;TYPE=work:script@evil.example",
        b"BDAY:--0415",
        b"PHOTO:data:image/png;base64," + B64,
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:4.0",
        b"KIND:org",
        b"FN:ACME Inc.",
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:4.0",
        b"KIND:group",
        b"FN:Chamber members",
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:4.0",
        b"FN:Mei Chen",
        b"N:Chen;Mei;;;",
        b"BDAY:--12-31",
        b"TEL:not a number",
        b"EMAIL:not-an-address",
        b"END:VCARD",
    ),
    "linkedin_connections.csv": (
        b"Notes:\r\n"
        b'"When exporting your connection data, you may notice that some of the email addresses'
        b' are missing."\r\n'
        b"\r\n"
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        b"Priya,Patel,https://www.linkedin.com/in/priya-patel-123,priya@patel.example,"
        b'"Patel & Sons, Ltd",Director,05 Nov 2024\r\n'
        b'Tom,O\'Neil,https://www.linkedin.com/in/tomoneil,,Acme,"Head of ""Growth""",17 Jan 2023\r\n'
    ),
    "google_contacts.csv": b"\xef\xbb\xbf"
    + (
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
        "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
        "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
        "Website 1 - Label,Website 1 - Value\r\n"
        "Ana,María,García,,,,,,,,Soluciones Ibéricas,CEO,,1980-04-15,"
        '"Met at chamber lunch\nWants intro to a lawyer",,* myContacts ::: Chamber ::: VIP,'
        "* Work,ana@iberica.example ::: ana.garcia@home.example,Home,ana@home.example,"
        "Mobile,+34 612 345 678 ::: +34 91 123 4567,Work,+34 91 765 4321,"
        "Profile,https://www.linkedin.com/in/ana-garcia\r\n"
        "Lee,,,,,,,,,,,,,--06-01,,,* myContacts,,,,,Mobile,07700 900123,,,,\r\n"
    ).encode(),
    "outlook_com.csv": (
        b"First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
        b"E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,"
        b"Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,"
        b"Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,"
        b"Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,"
        b"Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,"
        b"Business City,Business State,Business Postal Code,Business Country/Region,"
        b"Home Street,Home City,Home State,Home Postal Code,Home Country/Region,"
        b"Other Street,Other City,Other State,Other Postal Code,Other Country/Region,"
        b"Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,Birthday,Anniversary,Notes\r\n"
        b"Grace,,Hopper,,,,,,grace@navy.example,,,,,(202) 555-0143,,202-555-0199,,,,,,,,,,,"
        b",,,Rear Admiral,Computing,US Navy,,,,,,,,,,,,,,,,,,,,,,,,,,,12/9/1906,,"
        b'"Invented the compiler, ""debugging"""\r\n'
    ),
    "outlook_desktop.csv": (
        '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
        '"Job Title","Business Street","Business City","Business Phone","Home Phone",'
        '"Mobile Phone","Categories","E-mail Address","E-mail Type","E-mail Display Name",'
        '"Birthday","Notes","Web Page"\r\n'
        '"","Björn","","Ångström","","Nordisk Café","","Ägare","","","08-123 456 78","",'
        '"070-123 45 67","Fika;Networking","bjorn@nordisk.example","SMTP",'
        '"Björn Ångström (bjorn@nordisk.example)","0/0/00","Prefers mornings",""\r\n'
    ).encode("cp1252"),
    "utf16_google.csv": (
        "First Name,Last Name,Organization Name,E-mail 1 - Value,Phone 1 - Value,Labels\r\n"
        "Zoë,Ørsted,Vind A/S,zoe@vind.example,+45 33 12 34 56,* myContacts ::: Energy\r\n"
    ).encode("utf-16"),
    "generic.csv": (
        "Full Name;Mail;Company;Mobile\r\n".replace(";", ",")
        + "Kofi Mensah,kofi@mensah.example,Mensah Trading,+233 24 123 4567\r\n"
    ).encode("utf-8"),
    # Bad files.
    "empty.vcf": b"",
    "blank.csv": b"\r\n  \r\n",
    "garbage.bin": bytes((i * 37 + 11) % 256 for i in range(4096)),
    "missing_end.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"FN:No End",
        b"EMAIL:noend@example.com",
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"FN:Has End",
        b"EMAIL:hasend@example.com",
        b"END:VCARD",
    ),
    "truncated.vcf": crlf(
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"FN:Complete Card",
        b"END:VCARD",
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"FN:Cut Of",
    )[:-2],
    "unterminated_quote.csv": (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        b"Ada,Lovelace,,ada@engine.example,Analytical,Countess,01 Jan 2024\r\n"
        b'Charles,"Babbage,,charles@engine.example,Analytical,Inventor,01 Jan 2024\r\n'
        b"Mary,Somerville,,mary@example.com,,,02 Jan 2024\r\n"
    ),
    "utf16_bom.vcf": crlf(
        b"BEGIN:VCARD", b"VERSION:3.0", b"FN:Wide Wendy", b"EMAIL:wendy@wide.example", b"END:VCARD"
    )
    .decode()
    .encode("utf-16"),
    "not_contacts.txt": b"Dear diary,\nToday I met nobody.\n",
    "mailchimp_subscribers.csv": (
        b"Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
        b"CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,"
        b"EUID,NOTES,TAGS,SIGNUP_URL\r\n"
        b"priya@patel.example,Priya,Patel,2,2026-03-04 08:15:00,,2026-03-04 08:16:00,,,,,,,,,"
        b"2026-03-04 08:16:00,1,abc,,,https://example.com/join?ref={CODE}&utm=card\r\n"
        b"stranger@nowhere.example,Who,Knows,2,2026-03-05 09:00:00,,,,,,,,,,,,2,def,,,\r\n"
        b"not an email,,,,,,,,,,,,,,,,,,,,\r\n"
    ),
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
