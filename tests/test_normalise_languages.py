"""Language awareness: French and German tables, American English, unknown languages fall back to English."""

from __future__ import annotations

import pytest

from audiobook.normalise import speak_text


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        ("fr", "Le 1er juillet 2017", "Le premier juillet deux mille dix-sept"),
        ("fr", "une baisse de 3,5 %", "une baisse de trois virgule cinq pour cent"),
        ("fr", "600 000 tracts", "six cent mille tracts"),
        ("fr", "Il a payé 100 €.", "Il a payé cent euros."),
        ("fr", "En 1982, 10 pour cent", "En mille neuf cent quatre-vingt-deux, dix pour cent"),
        ("fr", "à 21:15", "à vingt et une heures quinze"),
        ("fr", "(www.jeudi-noir.org)", "jeudi tiret noir point org"),
        ("fr", "la CGT", "la C-G-T"),
        ("fr", "un budget de 3,5 Md€", "un budget de trois virgule cinq milliards d'euros"),
        ("fr", "2,50 €", "deux euros cinquante"),
        ("de", "Am 23. März 2017", "Am dreiundzwanzigsten März zweitausendsiebzehn"),
        ("de", "3,5 Mio. €", "drei Komma fünf Millionen Euro"),
        ("de", "Im Jahr 1982 bei 40°C", "Im Jahr neunzehnhundertzweiundachtzig bei vierzig Grad Celsius"),
        ("de", "um 9:30", "um neun Uhr dreißig"),
        ("de", "die CDU", "die C-D-U"),
        ("en-US", "On 12/25/2017 it rose 5%.", "On December twenty-fifth two thousand and seventeen it rose five percent."),
        ("en_GB", "On 12/11/2017 it rose 5%.", "On the twelfth of November two thousand and seventeen it rose five per cent."),
        ("xx", "In 1982, 10%", "In nineteen eighty-two, ten per cent"),
        # Spanish, Italian, Portuguese and Dutch say numbers in their own words (issue 13): phrases of the
        # Debian Reference 2.100 (es, it, pt) and the Debian FAQ 11.1 (nl) translations.
        ("es", "También puede cambiar a otra consola virtual, p. ej. a la consola 3, desde el intérprete de órdenes.",
         "También puede cambiar a otra consola virtual, p. ej. a la consola tres, desde el intérprete de órdenes."),
        ("es", "Tabla 1.1. Relación de paquetes con programas interesantes en modo texto",
         "Tabla uno punto uno. Relación de paquetes con programas interesantes en modo texto"),
        ("it", "per esempio la console 3, dalla riga di comando.", "per esempio la console tre, dalla riga di comando."),
        ("it", "Tabella 1.2. Elenco di pacchetti con documentazione interessante",
         "Tabella uno punto due. Elenco di pacchetti con documentazione interessante"),
        ("pt", "Tabela 1.7. Lista de grupos notáveis disponibilizados pelo sistema",
         "Tabela um ponto sete. Lista de grupos notáveis disponibilizados pelo sistema"),
        ("nl", "Laten we aannamen dat de versie in testing op 10 juni versie XYZ-3.6 is en in unstable XYZ-3.7.",
         "Laten we aannamen dat de versie in testing op tien juni versie xyz drie punt zes is en in unstable xyz drie punt zeven."),
        ("nl", "Na 5 dagen komt XYZ-3.7 vanuit unstable testing binnen.",
         "Na vijf dagen komt xyz drie punt zeven vanuit unstable testing binnen."),
    ],
)
def test_language(language: str, source: str, expected: str) -> None:
    assert speak_text(source, language) == expected
