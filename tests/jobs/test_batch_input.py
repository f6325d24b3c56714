"""Batch input formats: CSV with option columns, JSON Lines, a folder of text files, plain lines."""

from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError
from signavatar.jobs.batch import item_dict
from signavatar.jobs.batch_input import BatchItem, read_items
from signavatar.types import RenderOptions


def test_csv_with_option_columns(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text,glosses,size,speed,format\nA,Hallo,,64x48,1.5,\nB,,TERMIN,,,webm\n", encoding="utf-8")
    assert read_items(src) == [
        BatchItem("A", "Hallo", None, {"width": 64, "height": 48, "speed": 1.5}),
        BatchItem("B", None, "TERMIN", {"format": "webm"}),
    ]


def test_jsonl_items_and_line_numbers_as_ids(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "x", "text": "Guten Morgen", "options": {"fps": 10}}\n\n{"glosses": "HALLO"}\n',
                   encoding="utf-8")
    assert read_items(src) == [BatchItem("x", "Guten Morgen", None, {"fps": 10}), BatchItem("3", None, "HALLO")]


def test_folder_of_text_and_gloss_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Guten\n  Morgen\n", encoding="utf-8")
    (tmp_path / "a.gloss").write_text("HALLO\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert read_items(tmp_path) == [BatchItem("a", None, "HALLO"), BatchItem("b", "Guten Morgen", None)]


def test_plain_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Hallo\n\nTschüss\n", encoding="utf-8")
    assert [(i.id, i.text) for i in read_items(src)] == [("1", "Hallo"), ("3", "Tschüss")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("in.jsonl", '{"text": "a"}\nnot json\n', "line 2: not JSON"),
    ("in.jsonl", '{"text": "a", "options": {"colour": 1}}\n', "unknown option 'colour'"),
    ("in.csv", "id,text\nA,x\nA,y\n", "'A' appears twice"),
    ("in.csv", "id,text,size\nA,x,big\n", "line 2: size must look like"),
    ("in.csv", "id,words\nA,x\n", "needs a 'text' or 'glosses' column"),
])
def test_bad_input_names_file_and_line(tmp_path: Path, name: str, content: str, message: str) -> None:
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message) as info:
        read_items(src)
    assert str(src) in str(info.value)


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no .txt or .gloss files"):
        read_items(tmp_path)


def test_item_options_override_the_batch_options() -> None:
    job = item_dict(BatchItem("A", "Hallo", None, {"width": 32}), RenderOptions(width=64, height=64))
    assert job["options"]["width"] == 32 and job["options"]["height"] == 64
    assert job["options"]["background"] == [236, 239, 243]  # JSON-able: it may cross a broker
