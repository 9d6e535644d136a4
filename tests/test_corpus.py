from __future__ import annotations

from pathlib import Path

from factdesk.annotations.text.corpus import decode, load_corpus
from factdesk.annotations.text.textsafety import neutralise, strip_controls


def test_folder_loads_txt_and_md_sorted_by_name(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("Second article. It says things.\n")
    (tmp_path / "a.txt").write_text("First article. It says things.\n")
    (tmp_path / "c.json").write_text("{}")
    corpus = load_corpus([tmp_path])
    assert [a.path.name for a in corpus.articles] == ["a.txt", "b.md"]
    assert corpus.problems == ()


def test_utf8_bom_and_crlf_offsets_match_read_text(tmp_path: Path) -> None:
    file = tmp_path / "bom.txt"
    file.write_bytes("\ufeffHeadline Here\r\nAssad’s forces left. Rebels came.\r\n".encode())
    article = load_corpus([file]).articles[0]
    assert article.text == file.read_text(encoding="utf-8")
    assert article.notice is None


def test_cp1252_falls_back_with_notice(tmp_path: Path) -> None:
    file = tmp_path / "legacy.txt"
    file.write_bytes("Caf\xe9 owners said prices rose. Nobody disputed it.".encode("cp1252"))
    article = load_corpus([file]).articles[0]
    assert article.encoding == "cp1252"
    assert "Café" in article.text
    assert article.notice and "cp1252" in article.notice


def test_binary_empty_and_missing_files_are_skipped_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A sentence here. Another one.")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    (tmp_path / "empty.txt").write_text("")
    corpus = load_corpus([tmp_path, tmp_path / "missing.txt"])
    assert [a.path.name for a in corpus.articles] == ["good.txt"]
    messages = " | ".join(p.message for p in corpus.problems)
    assert "binary.txt" in messages and "binary" in messages
    assert "empty.txt" in messages and "missing.txt" in messages


def test_id_is_a_content_hash_so_renames_keep_it(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("Same text. Same marks.")
    first = load_corpus([one]).articles[0].id
    one.rename(tmp_path / "two.txt")
    assert load_corpus([tmp_path / "two.txt"]).articles[0].id == first


def test_title_and_source_of_the_seeds(seeds_copy: Path) -> None:
    articles = {a.path.name[:3]: a for a in load_corpus([seeds_copy]).articles}
    assert articles["000"].title == "Rebels Seize Strategic Homs"
    assert articles["002"].title == "Syrian army flees Homs, cutting Assad off from coast"
    assert articles["001"].source == "iKurd.net"  # from "Copyright © 2024 iKurd.net. All rights reserved"
    assert articles["002"].source == "Reuters"  # "foreign officials told Reuters"
    assert articles["003"].source == "003_2f458b3b670532ec.txt"  # names no outlet: the file name


def test_decode_rejects_nul_bytes() -> None:
    try:
        decode(b"abc\x00def")
    except ValueError as error:
        assert "binary" in str(error)
    else:
        raise AssertionError("binary data decoded")


def test_neutralise_keeps_length_and_defuses_escapes() -> None:
    hostile = "a\x1b]52;c;SGVsbG8=\x07b\x1b[31mred\u202eevil\u200bz\x9b"
    safe = neutralise(hostile)
    assert len(safe) == len(hostile)
    assert "\x1b" not in safe and "\x07" not in safe and "\u202e" not in safe and "\x9b" not in safe
    assert safe.startswith("a␛]52;c;SGVsbG8=␇b␛[31mred")
    assert "\n" not in strip_controls("two\nlines\tand tab")
