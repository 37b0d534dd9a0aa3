"""A CSV file whose name ends in .gz is gunzipped while it is read: the same table as the
plain file, and a damaged file or a decompression bomb refused in one sentence, the bomb
before it fills the memory."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np
import pytest

from core.data import tabular
from core.data.dataset import DataError, load
from core.data.files import open_data

TEXT = "a,b,label\n1,2,0\n3,4.5,1\n-1,0.25,1\n"


def load_csv(name: str, folder: Path, **spec):
    return load({"csv": name, "targets": ["label"], **spec}, [], "sigmoid", 1, base_dir=folder)


def refusal(name: str, folder: Path) -> str:
    with pytest.raises(DataError) as err:
        load_csv(name, folder)
    return str(err.value)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@pytest.mark.parametrize("name", ["t.csv.gz", "t.CSV.GZ", "t.gz"])
def test_a_gzipped_file_gives_the_table_of_the_plain_one(tmp_path: Path, name: str) -> None:
    (tmp_path / "t.csv").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_bytes(gz(TEXT.encode()))
    plain, packed = load_csv("t.csv", tmp_path), load_csv(name, tmp_path)
    np.testing.assert_array_equal(packed.x_train, plain.x_train)
    np.testing.assert_array_equal(packed.y_train, plain.y_train)
    assert packed.input_names == ("a", "b") and packed.x_train.shape == (3, 2)


def test_a_byte_order_mark_crlf_and_several_members_are_read(tmp_path: Path) -> None:
    """gzip -c a >> f; gzip -c b >> f makes one file of two members: both are the text."""
    head, rows = "\ufeffa,b,label\r\n".encode(), b"1,2,0\r\n3,4,1\r\n"
    (tmp_path / "t.csv.gz").write_bytes(gz(head) + gz(rows))
    ds = load_csv("t.csv.gz", tmp_path)
    np.testing.assert_array_equal(ds.x_train, [[1, 2], [3, 4]])


def test_errors_in_a_gzipped_file_keep_their_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "t.csv.gz").write_bytes(gz(b"a,label\n1,0\n2,x\n"))
    assert refusal("t.csv.gz", tmp_path) == "t.csv.gz:3:2: 'x' is not a number"


def test_a_gzipped_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.csv.gz").write_bytes(gz(b"a,label\n\xff\xfe,1\n"))
    assert refusal("t.csv.gz", tmp_path).startswith("t.csv.gz: not a UTF-8 text file")


def damaged_files() -> dict[str, bytes]:
    good = gz(TEXT.encode() * 50)
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF  # inside the deflate stream
    wrong_crc = bytearray(good)
    wrong_crc[-8] ^= 0xFF  # the CRC-32 in the trailer
    wrong_size = bytearray(good)
    wrong_size[-1] ^= 0xFF  # the length in the trailer
    return {
        "not gzip": TEXT.encode(),
        "cut short": good[: len(good) // 2],
        "header only": good[:10],
        "damaged stream": bytes(flipped),
        "wrong CRC": bytes(wrong_crc),
        "wrong length": bytes(wrong_size),
        "garbage after": good + b"\x1f\x8b\x08garbage",
    }


@pytest.mark.parametrize("case", list(damaged_files()))
def test_a_damaged_gzip_file_is_refused_in_one_sentence(tmp_path: Path, case: str) -> None:
    (tmp_path / "t.csv.gz").write_bytes(damaged_files()[case])
    text = refusal("t.csv.gz", tmp_path)
    assert text == (
        "data.csv: cannot read 't.csv.gz': it is not a valid gzip file (damaged or cut short); "
        "compress it again"
    )


def test_an_empty_gzip_file_is_an_empty_table(tmp_path: Path) -> None:
    (tmp_path / "t.csv.gz").write_bytes(b"")  # gzip reads no member at all: no text
    assert refusal("t.csv.gz", tmp_path).startswith("t.csv.gz: the file is empty")


def test_a_file_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = TEXT.encode() + b"1,2,0\n" * 200  # packed far below the limit, unpacked not
    (tmp_path / "t.csv.gz").write_bytes(gz(data))
    monkeypatch.setattr(tabular, "MAX_CSV_BYTES", len(data))  # exactly the limit: read
    assert load_csv("t.csv.gz", tmp_path).x_train.shape == (203, 2)
    monkeypatch.setattr(tabular, "MAX_CSV_BYTES", len(data) - 1)
    assert refusal("t.csv.gz", tmp_path) == (
        f"data.csv: cannot read 't.csv.gz': it unpacks to more than {len(data) - 1:,} bytes; "
        "use a smaller file or fewer rows"
    )


def test_a_bomb_stops_at_the_limit_without_unpacking_the_rest(tmp_path: Path) -> None:
    """64 MB of zeros packs into some 64 kB: reading stops at the limit, having handed out
    no more than the limit (and one read's worth) of text."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    chunk = b"0" * 2**20
    bomb = b"".join(packer.compress(chunk) for _ in range(64)) + packer.flush()
    (tmp_path / "bomb.csv.gz").write_bytes(bomb)
    assert len(bomb) < 2**20 and os.path.getsize(tmp_path / "bomb.csv.gz") == len(bomb)
    limit, read = 2**20, 0
    with open_data(tmp_path / "bomb.csv.gz", limit) as text, pytest.raises(OSError) as err:
        while piece := text.read(4096):
            read += len(piece)
    assert err.value.strerror == "it unpacks to more than 1 MB; use a smaller file or fewer rows"
    assert read <= limit


def test_the_real_limit_is_50_mb_of_text(tmp_path: Path) -> None:
    assert tabular.MAX_CSV_BYTES == 50 * 2**20
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    parts = [packer.compress(b"a,label\n")]
    parts += [packer.compress(b"0" * 2**20) for _ in range(51)]
    (tmp_path / "big.csv.gz").write_bytes(b"".join(parts) + packer.flush())
    big = open_data(tmp_path / "big.csv.gz", tabular.MAX_CSV_BYTES)
    with big as text, pytest.raises(OSError) as err:
        while text.read(2**20):
            pass
    assert err.value.strerror.startswith("it unpacks to more than 50 MB;")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_named_gz_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv.gz")
    with pytest.raises(OSError, match="not a regular file"):
        open_data(tmp_path / "pipe.csv.gz", 1000)
    assert "is a device or a pipe" in refusal("pipe.csv.gz", tmp_path)


def test_closing_the_text_closes_the_file(tmp_path: Path) -> None:
    (tmp_path / "t.csv.gz").write_bytes(gz(TEXT.encode()))
    text = open_data(tmp_path / "t.csv.gz", 10_000)
    assert text.read() == TEXT
    raw = text.buffer.raw
    text.close()
    assert raw.closed and raw._raw.closed and raw._stream.closed
