"""The stored 查重 index (`DedupEntry`): each submitted application's shingle set, language and e5 vector, written
once — at submission, or by the index job for older rows — and updated incrementally (a row is rewritten only when
its text changed; vectors are computed only for rows that have none). A check builds its corpus from the stored sets
instead of tokenising every past text again, and never embeds a past text twice."""

from __future__ import annotations

import hashlib

import numpy as np

from kechuang.projects import dedup, dedup_anchors
from kechuang.projects.models import Application, ApplicationStatus, DedupEntry

INDEXED_EXCLUDED = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


def _text(application) -> str:
    from kechuang.projects.services import application_text

    return application_text(application)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def index_application(application: Application) -> DedupEntry:
    """Write (or rewrite, if the text changed) one application's entry."""
    text = _text(application)
    sha = _sha(text)
    entry = DedupEntry.objects.filter(application=application).first()
    if entry is not None and entry.text_sha == sha:
        return entry
    values = {
        "text_sha": sha,
        "language": dedup.language(text),
        "shingles": dedup.pack(dedup.shingles(text)),
        "anchors": dedup.pack(dedup_anchors.features(text)),
        "vector": None,
    }
    entry, _ = DedupEntry.objects.update_or_create(application=application, defaults=values)
    return entry


def refresh(progress=None, chunk: int = 500) -> int:
    """Index every submitted application that has no entry yet (incremental: existing rows are left alone).
    Returns how many were written."""
    missing = (
        Application.objects.exclude(status__in=INDEXED_EXCLUDED)
        .filter(dedup_entry__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(missing)
    done = 0
    for start in range(0, len(ids), chunk):
        rows = []
        for app in Application.objects.filter(pk__in=ids[start : start + chunk]):
            text = _text(app)
            rows.append(
                DedupEntry(
                    application=app,
                    text_sha=_sha(text),
                    language=dedup.language(text),
                    shingles=dedup.pack(dedup.shingles(text)),
                    anchors=dedup.pack(dedup_anchors.features(text)),
                )
            )
        DedupEntry.objects.bulk_create(rows, ignore_conflicts=True)
        done += len(rows)
        if progress is not None:
            progress(done, len(ids))
    return done


def _fill_anchors() -> None:
    """Entries written before the anchor features existed get them once."""
    missing = list(DedupEntry.objects.filter(anchors__isnull=True).values_list("application_id", flat=True))
    for app in Application.objects.filter(pk__in=missing):
        features = dedup.pack(dedup_anchors.features(_text(app)))
        DedupEntry.objects.filter(application_id=app.pk).update(anchors=features)


def load(exclude=()) -> list[tuple[int, np.ndarray, str, np.ndarray]]:
    """(application id, shingle set, language, anchor features) of every indexed submitted application except
    `exclude`."""
    refresh()
    _fill_anchors()
    rows = (
        DedupEntry.objects.exclude(application_id__in=list(exclude))
        .exclude(application__status__in=INDEXED_EXCLUDED)
        .order_by("application_id")
        .values_list("application_id", "shingles", "language", "anchors")
    )
    return [(pk, dedup.unpack(sh), lang, dedup.unpack(an or b"")) for pk, sh, lang, an in rows]


def corpus(rows) -> dedup.Corpus:
    return dedup.build_from_sets([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def anchor_corpus(rows) -> dedup.Corpus:
    return dedup_anchors.build([r[0] for r in rows], [r[3] for r in rows], [r[2] for r in rows])


def vectors(ids: list[int]) -> np.ndarray:
    """The stored e5 vectors of these applications, in order; the missing ones are embedded once and stored."""
    stored = dict(DedupEntry.objects.filter(application_id__in=ids).values_list("application_id", "vector"))
    missing = [pk for pk in ids if stored.get(pk) is None]
    if missing:
        apps = {a.pk: a for a in Application.objects.filter(pk__in=missing)}
        texts = [_text(apps[pk]) for pk in missing]
        computed = dedup.embed(texts, [dedup.language(t) for t in texts]).astype(np.float32)
        for pk, vector in zip(missing, computed, strict=True):
            blob = vector.astype("<f4").tobytes()
            DedupEntry.objects.filter(application_id=pk).update(vector=blob)
            stored[pk] = blob
    return (
        np.vstack([np.frombuffer(bytes(stored[pk]), dtype="<f4") for pk in ids]) if ids else np.zeros((0, 0))
    )
