"""bench/reliability/upload.py without a server: the files it uploads and the report it writes (no timing is asserted)."""

from __future__ import annotations

from bench.reliability.upload import make_files, report
from qa_ui.process import ROOT


def test_the_files_are_new_documents_the_size_of_the_corpus(tmp_path):
    files = make_files(tmp_path, 4, round_=2)
    assert [f.name for f in files][:2] == [
        f"upload-r2-01-{sorted((ROOT / 'corpus').glob('*.txt'))[0].name}",
        f"upload-r2-02-{sorted((ROOT / 'corpus').glob('*.txt'))[1].name}",
    ]
    assert len({f.read_text() for f in files}) == 4  # each its own content, so each is added
    original = sorted((ROOT / "corpus").glob("*.txt"))[0].read_text()
    assert files[0].read_text().endswith(original)


def test_the_report_states_upload_time_progress_and_both_medians():
    rounds = [{
        "upload_seconds": 7.71, "during": [500.0, 900.0, 1500.0], "errors": [], "cited_after": ["a.txt"],
        "updates": [(0.1, "Checking the files", None, None), (1.0, "Embedding", 40, 120), (3.0, "Embedding", 120, 120), (4.0, "Storing", 20, 20)],
        "summary": {"seconds": 5.6, "added": 20, "skipped": [], "chunks": 132},
    }]
    text = report({"idle": [400.0, 450.0, 500.0], "after": [420.0], "rounds": rounds, "during": [500.0, 900.0, 1500.0], "errors": []}, 20, 2219, 1.0)
    assert "| 1 | 7.7 s | 5.6 s | 20 / 0 / 132 | 4 (Checking the files, Embedding 120/120, Storing 20/20) | 900 ms (3) |" in text
    assert "median 450 ms idle" in text and "median 900 ms during the uploads" in text and "0 errors" in text
