"""webapp.typeset: Typst's process-wide cache keeps nothing of one document for the next.

Typst memoises what it lays out (comemo) in a cache shared by the whole process; typst-py (0.15)
has no call to empty it or to look into it, and a cached result is by design the same as a
recomputed one, so no output can tell whether the cache was used. What can be seen from Python is
the time: laying out the same document a second time, from the cache, is several times cheaper
than the first. So these tests lay out a document made of measurements of one marked text (a
lot of memoised layout, a small output), then the same document again: cheap, the cache is
there (else the test could not tell); then `typeset.forget()`, then the document again: as dear
as the first time, nothing of it was left to reuse. Run without `forget`, or with fewer blank
compilations than Typst's eviction age, the last layout is cheap and the test fails.

The document is compiled with a single input (`mark`): typst-py passes inputs in a hash map's
order, and two inputs in another order are another cache key, which would blur the timing.
"""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path

import pytest
import typst

from webapp import typeset

MEASURED = """\
#set text(font: "DejaVu Sans")
#context {
  let total = 0pt
  for i in range(900) {
    total += measure(block(width: 80mm, par[#sys.inputs.mark #i: a paragraph laid out only to be
      measured, with words enough to wrap over a few lines of a narrow column.])).height
  }
  [#total]
}
"""


def layout_time(path: Path, mark: str) -> float:
    """Seconds to compile `path` with `mark` as its input, as webapp.typeset compiles (our fonts
    only)."""
    start = time.perf_counter()
    typst.compile(str(path), root=str(path.parent), font_paths=[str(typeset.FONT_DIR)],
                  ignore_system_fonts=True, sys_inputs={"mark": mark}, format="svg")
    return time.perf_counter() - start


def ratios(path: Path, trials: int = 3) -> tuple[list[float], list[float]]:
    """For each of `trials` fresh marks: first layout / layout from the cache, and layout after
    `forget` / layout from the cache (the quicker of two, so that a pause of the machine during
    one does not make the others look dear)."""
    cached, forgotten = [], []
    for _ in range(trials):
        mark = f"Mark-{uuid.uuid4().hex}"
        first = layout_time(path, mark)
        again = min(layout_time(path, mark), layout_time(path, mark))
        typeset.forget()
        after = layout_time(path, mark)
        cached.append(first / again)
        forgotten.append(after / again)
    return cached, forgotten


@pytest.fixture
def measured(tmp_path) -> Path:
    path = tmp_path / "measured.typ"
    path.write_text(MEASURED, encoding="utf-8")
    layout_time(path, "warm-up")  # the fonts read, the library built: not what is measured
    return path


def test_after_forget_a_document_is_laid_out_from_scratch(measured):
    cached, forgotten = ratios(measured)  # about ×14 and ×14 on 2 shared cores
    assert statistics.median(cached) > 3, f"the cache cannot be seen here {cached}"
    assert statistics.median(forgotten) > 3, f"laid out again from the cache {forgotten}"


def test_fewer_blank_compilations_than_the_eviction_age_would_be_seen(measured, monkeypatch):
    """The test above can fail: with one blank compilation fewer than Typst's eviction age,
    the document is still in the cache after `forget`."""
    monkeypatch.setattr(typeset, "FLUSHES", typeset.CACHE_AGE - 1)
    cached, forgotten = ratios(measured)  # about ×14 and ×0.8
    assert statistics.median(cached) > 3 and min(forgotten) < 2, (cached, forgotten)


def test_forget_runs_after_every_document_even_a_failed_one(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(typeset, "forget", lambda: calls.append(1))
    monkeypatch.setattr(typeset, "TEMPLATES", tmp_path)
    (tmp_path / "good.typ").write_text('#set document(title: "t")\n#sys.inputs.view',
                                       encoding="utf-8")
    (tmp_path / "bad.typ").write_text('#panic("no")', encoding="utf-8")
    assert typeset.pdf("good.typ", {"x": 1}).startswith(b"%PDF-")
    assert calls == [1]
    with pytest.raises(typeset.TypesetError):
        typeset.pdf("bad.typ", {})
    assert calls == [1, 1]
