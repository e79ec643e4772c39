"""What the awards API takes and returns: the schemas and the functions that turn records into them."""

import datetime as dt

from ninja import Field, Schema

from kechuang.awards import exports
from kechuang.bounds import Code, Date, DateTime, Fen, Id, Line, Name, Text, Year


class CallOut(Schema):
    id: int
    kind: str
    year: int
    name: str
    status: str
    nomination_deadline: dt.date
    notice_start: dt.date | None
    notice_end: dt.date | None
    decision_document: str
    payout_round_id: int | None


def call_out(call) -> dict:
    return {
        "id": call.pk,
        "kind": call.kind,
        "year": call.year,
        "name": call.name,
        "status": call.status,
        "nomination_deadline": call.nomination_deadline,
        "notice_start": call.notice_start,
        "notice_end": call.notice_end,
        "decision_document": call.decision_document,
        "payout_round_id": call.payout_round_id,
    }


class NominationOut(Schema):
    id: int
    call_id: int
    category: str
    title: str
    nominator_id: int
    lead_unit_id: int
    status: str
    formal_note: str
    grade: str
    grade_name: str
    prize_fen: int
    certificate_no: str
    contributors: list[str]


def nomination_out(n) -> dict:
    return {
        "id": n.pk,
        "call_id": n.call_id,
        "category": n.category,
        "title": n.title,
        "nominator_id": n.nominator_id,
        "lead_unit_id": n.lead_unit_id,
        "status": n.status,
        "formal_note": n.formal_note,
        "grade": n.proposed_grade,
        "grade_name": exports.grade_name(n) or "",
        "prize_fen": n.prize_fen,
        "certificate_no": n.certificate_no,
        "contributors": [c.name for c in n.contributors.all()],
    }


class QuotaIn(Schema):
    nominator_id: Id
    quota: int = Field(ge=1, le=1000)


class CallIn(Schema):
    kind: Code
    year: Year
    nomination_deadline: Date
    quotas: list[QuotaIn] = Field(default=[], max_length=1000)


class CallDetailOut(CallOut):
    nominations: list[NominationOut]


class ContributorIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    id_digits: str = Field(default="", max_length=18)
    unit_id: Id | None = None


class NominationIn(Schema):
    category: Code
    title: Name
    summary: Text
    lead_unit_id: Id | None = None
    contributors: list[ContributorIn] = Field(min_length=1, max_length=60)
    unit_ids: list[Id] = Field(default=[], max_length=60)
    patent_application_number: str = Field(default="", max_length=20)


class FormalIn(Schema):
    passed: bool
    note: Line = ""


class GradeIn(Schema):
    grade: Code


class RebuttalWindowIn(Schema):
    deadline: DateTime


class AnonymousReviewOut(Schema):
    label: str
    total: str
    comments: dict
    overall_comment: str


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class RebuttalOut(Schema):
    id: int
    stage: str
    submitted_at: dt.datetime


class NoticeRowOut(Schema):
    id: int
    category: str
    title: str
    lead_unit: str
    grade_name: str
    contributors: list[str]


class NoticeOut(Schema):
    call: str
    notice_start: dt.date | None
    notice_end: dt.date | None
    open: bool
    rows: list[NoticeRowOut]


class ObjectionIn(Schema):
    nomination_id: Id
    name: str = Field(min_length=1, max_length=50)
    contact: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=5000)


class ObjectionOut(Schema):
    id: int
    nomination_id: int
    status: str
    response: str
    answer: str


def objection_out(o) -> dict:
    return {
        "id": o.pk,
        "nomination_id": o.nomination_id,
        "status": o.status,
        "response": o.response,
        "answer": o.answer,
    }


class AnswerIn(Schema):
    upheld: bool
    answer: str = Field(min_length=1, max_length=5000)


class ApproveIn(Schema):
    document: Line


class RoundIn(Schema):
    round_id: Id


class PayoutPartOut(Schema):
    nomination_id: int
    part: str
    fen: int


class PayoutOut(Schema):
    organisation_id: int
    organisation: str
    fen: int
    parts: list[PayoutPartOut]
    candidate_id: int | None
    candidate_status: str | None
    payment_status: str | None


class NationalOut(Schema):
    id: int
    kind: str
    category: str
    year: int
    nomination_id: int | None
    title: str
    lead_unit_id: int
    led_by_guangxi: bool
    channel: str
    stage: str
    reached_defence: bool
    grade: str
    prize_fen: int
    result_document: str


def national_out(e) -> dict:
    return {
        f: getattr(e, f)
        for f in (
            "kind",
            "category",
            "year",
            "nomination_id",
            "title",
            "lead_unit_id",
            "led_by_guangxi",
            "channel",
            "stage",
            "reached_defence",
            "grade",
            "prize_fen",
            "result_document",
        )
    } | {"id": e.pk}


class RecommendIn(Schema):
    year: Year
    channel: str = Field(default="", max_length=100)
    # the national category; by default the one the Guangxi category maps to (rules/national_quotas.yaml)
    category: str = Field(default="", max_length=40)


class NationalIn(Schema):
    kind: Code
    year: Year
    title: Name
    lead_unit_id: Id
    led_by_guangxi: bool = True
    channel: str = Field(min_length=1, max_length=100)
    category: str = Field(default="", max_length=40)


class ResultIn(Schema):
    stage: Code
    document: Line
    grade: str = Field(default="", max_length=50)
    prize_fen: Fen = 0


class NationalPayIn(Schema):
    year: Year
    round_id: Id


class CandidateOut(Schema):
    id: int
    organisation_id: int
    policy_code: str
    computed_fen: int
    status: str
