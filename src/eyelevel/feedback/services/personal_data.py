"""The customer's feedback in their export, and its erasure (identity removed, aggregates kept)."""

from eyelevel.feedback.models import FeedbackItem, LabelCorrection, Note

ERASED_TEXT = "[erased at the customer's request]"


def export_feedback(organisation_id: int, customer_id: int) -> dict:
    """Every feedback item of the customer with its labels, status and outcomes."""
    items = FeedbackItem.objects.for_organisation(organisation_id).filter(customer_id=customer_id).prefetch_related(
        "actions")
    return {"feedback_items": [{
        "id": item.pk, "channel": item.channel, "text": item.text, "received_at": item.received_at.isoformat(),
        "order_ref": item.order_ref, "language": item.language, "sentiment": item.sentiment,
        "aspects": item.aspects, "urgency": item.urgency, "status": item.status,
        "acknowledged_at": item.acknowledged_at.isoformat() if item.acknowledged_at else None,
        "outcomes": [a.outcome for a in item.actions.all() if a.outcome],
    } for item in items]}


def erase_feedback(organisation_id: int, customer_id: int) -> int:
    """Unlink and blank the customer's items; counts, sentiment and aspects stay for the aggregates."""
    items = FeedbackItem.objects.for_organisation(organisation_id).filter(customer_id=customer_id)
    ids = list(items.values_list("pk", flat=True))
    Note.objects.for_organisation(organisation_id).filter(item_id__in=ids).delete()
    LabelCorrection.objects.for_organisation(organisation_id).filter(item_id__in=ids).delete()
    FeedbackItem.objects.for_organisation(organisation_id).filter(pk__in=ids).update(
        customer=None, text=ERASED_TEXT, order_ref="", external_ref="", anonymised=True)
    return len(ids)
