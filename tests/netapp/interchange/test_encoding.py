"""Telling a file's text encoding from its bytes, or refusing it (netapp.interchange.encoding)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netapp.interchange.encoding import EncodingError, decode

NAMES = {
    "fr": "Nom,Prénom,Société\nRenée,Françoise,Café Crème\nHélène,Müller,Straße GmbH\n",
    "es": "Nombre\nJosé Muñoz\nAraceli Peña\n",
    "it": "Nome\nNiccolò Pietà\nGiosuè Carducci\n",
    "is": "Nafn\nÞórður Guðmundsson\nSigríður Jónsdóttir\n",
    "pl": "Nazwisko,Imię\nŁódź,Wrocław\nGrzegorz,Brzęczyszczykiewicz\nŚwiątek,Źdźbło\n",
    "cz": "Jméno,Příjmení\nAntonín,Dvořák\nBožena,Němcová\n",
    "tr": "Ad,Soyad\nAyşe,Yılmaz\nŞükrü,Öztürk\nÇağrı,Doğan\n",
    "ru": "Фамилия,Имя\nИванов,Иван\nПетрова,Мария\nООО РОМАШКА\n",
    # In Windows-1251 these bytes are also valid Greek letters ('Θβΰν'): Greek rules tell.
    "ru2": "Иван,Петров,ivan@example.ru,Москва\nОльга,Смирнова,olga@example.ru,Привет\n",
    "el": "Επώνυμο,Όνομα\nΠαπαδόπουλος,Γιάννης\nΚωνσταντίνου,Ελένη\n",
    "ja": "姓,名,会社\n山田,太郎,株式会社テスト\n鈴木,花子,NTTドコモ\n",
}


@pytest.mark.parametrize(
    ("lang", "codec", "name"),
    [
        ("fr", "cp1252", "Windows-1252"),
        ("es", "iso-8859-1", "Windows-1252"),  # Latin-1's letters are Windows-1252's
        ("it", "cp1252", "Windows-1252"),
        ("is", "cp1252", "Windows-1252"),
        ("pl", "iso-8859-2", "ISO-8859-2"),
        ("pl", "cp1250", "Windows-1250"),
        ("cz", "cp1250", "Windows-1250"),
        ("tr", "cp1254", "Windows-1254"),
        ("ru", "cp1251", "Windows-1251"),
        ("ru", "koi8-r", "KOI8-R"),
        ("ru", "iso-8859-5", "ISO-8859-5"),
        ("ru2", "cp1251", "Windows-1251"),
        ("ru2", "koi8-r", "KOI8-R"),
        ("el", "iso-8859-7", "Windows-1253"),  # the same letters in both
        ("ja", "cp932", "Shift_JIS"),
        ("ja", "euc-jp", "EUC-JP"),
        ("ja", "utf-16-le", "UTF-16"),
        ("ja", "utf-16-be", "UTF-16"),
        ("fr", "utf-16-be", "UTF-16"),
    ],
)
def test_legacy_and_bomless_encodings_are_told_from_the_letters(
    lang: str, codec: str, name: str
) -> None:
    """Each sample decodes to exactly its text, and the encoding is named."""
    decoded = decode(NAMES[lang].encode(codec))
    assert (decoded.text, decoded.name) == (NAMES[lang], name)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ("Renée\n".encode() + "Hélène\n".encode("cp1252") + "Zoë\n".encode(), "mixes UTF-8"),
        (bytes(range(0x80, 0x100)) * 3, "cannot tell which text encoding"),
    ],
)
def test_undecodable_bytes_are_refused_naming_the_encodings_tried(data: bytes, says: str) -> None:
    """Mixed or meaningless bytes raise EncodingError listing what was tried, with a line."""
    with pytest.raises(EncodingError) as err:
        decode(data)
    assert says in err.value.message
    for tried in ("UTF-8", "UTF-16", "Windows-1252", "ISO-8859-2", "Shift_JIS", "KOI8-R"):
        assert tried in err.value.message
    assert err.value.line is not None


@given(st.text(min_size=1, max_size=200))
def test_utf8_always_reads_as_itself(text: str) -> None:
    """Any text saved as UTF-8, with or without a BOM, decodes to that same text."""
    if "\x00" in text:
        return
    assert decode(text.encode("utf-8")).text == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")).text == text


@given(
    st.lists(
        st.sampled_from(["Renée", "Jörg", "Müller", "Françoise", "Peña", "Crème", "Ångström"]),
        min_size=1,
        max_size=30,
    )
)
def test_western_names_in_windows_1252_are_never_misread(words: list[str]) -> None:
    """Windows-1252 text of Western European names reads back exactly."""
    text = "Name\n" + "\n".join(words) + "\n"
    assert decode(text.encode("cp1252")).text == text


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("名,姓,备注\n伟,王,北京市\n芳,李,上海\n", "gb18030"),
        ("이름,성,메모\n민준,김,서울\n서연,이,부산\n", "euc-kr"),
    ],
)
def test_chinese_and_korean_bytes_are_never_read_as_japanese(text: str, codec: str) -> None:
    """GB2312 and EUC-KR bytes are valid EUC-JP too: such a file is refused as ambiguous,
    naming both readings, instead of being imported as Japanese mojibake."""
    data = text.encode(codec)
    assert data.decode("euc-jp") != text  # the mojibake this guards against
    with pytest.raises(EncodingError) as err:
        decode(data)
    assert "reads equally well as EUC-JP" in err.value.message
