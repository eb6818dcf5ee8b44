"""Offers from each customer's own history, with reasons the customer controls (product rules 3, 6, 7).

Personal offers need the customer's consent to the purpose "personalised offers" and their switch on;
otherwise the customer gets only the offers for everyone, and is told so. Hidden products, hidden
categories and "not interested" apply at once: offers are computed on request from the purchase history
and the organisation's fitted recommender (see eyelevel.analysis.recommend).
"""

import io
import threading
from datetime import UTC, datetime

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy import sparse

from eyelevel.analysis import recommend
from eyelevel.commerce import services as commerce
from eyelevel.core.errors import InvalidInput, NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.tenancy import get_scoped, organisation_id_of
from eyelevel.customers import services as customers
from eyelevel.customers.schemas import CustomerOut, PurposeIn
from eyelevel.offers.models import (
    ExclusionKind,
    Offer,
    OfferExclusion,
    PersonalisationSetting,
    RecommenderModel,
)
from eyelevel.offers.schemas import (
    ExclusionOut,
    GeneralOfferOut,
    NewsletterReport,
    OfferIn,
    OfferList,
    OfferOut,
    PersonalisationOut,
    TrainingOut,
)

PURPOSE_CODE = "personalised_offers"
DEFAULT_LIMIT = 10


# --- the purpose and the customer's choices ---------------------------------------------------------------

def ensure_purpose(*, organisation: Organisation) -> None:
    """Declare the purpose "personalised offers" (legal basis: consent) if the organisation has not yet."""
    try:
        customers.get_purpose(organisation=organisation, code=PURPOSE_CODE)
    except NotFound:
        customers.declare_purpose(organisation=organisation, data=PurposeIn(
            code=PURPOSE_CODE, name_en="Personalised offers", name_de="Persönliche Angebote",
            description_en="We choose offers and a personal newsletter from your own purchases: what you buy "
                           "often, what you may run out of, and what customers who shop like you buy. Every "
                           "offer says why you get it; you can hide products or categories or switch it off.",
            description_de="Wir wählen Angebote und einen persönlichen Newsletter aus Ihren eigenen Einkäufen: "
                           "was Sie oft kaufen, was Ihnen ausgehen könnte und was Kundinnen und Kunden mit "
                           "ähnlichen Einkäufen kaufen. Jedes Angebot sagt, warum Sie es bekommen; Sie können "
                           "Produkte oder Kategorien ausblenden oder alles abschalten.",
            legal_basis="consent", retention_days=730, marketing=True,
        ))


def _consented(organisation: Organisation | int, customer_id: int) -> tuple[bool, bool]:
    """(purpose declared, consent granted)."""
    try:
        customers.get_purpose(organisation=organisation, code=PURPOSE_CODE)
    except NotFound:
        return False, False
    return True, customers.has_consent(organisation=organisation, customer_id=customer_id, purpose_code=PURPOSE_CODE)


def _switched_on(organisation: Organisation | int, customer_id: int) -> bool:
    setting = PersonalisationSetting.objects.for_organisation(organisation).filter(customer_id=customer_id).first()
    return setting is None or setting.personalised


def personalisation(*, organisation: Organisation | int, customer_id: int) -> PersonalisationOut:
    """Whether the customer consented and switched personal offers on, and what they hid."""
    customers.get_customer(organisation=organisation, customer_id=customer_id)
    return _personalisation(organisation, customer_id)


def _personalisation(organisation: Organisation | int, customer_id: int) -> PersonalisationOut:
    declared, consented = _consented(organisation, customer_id)
    return PersonalisationOut(consented=consented, switched_on=_switched_on(organisation, customer_id),
                              purpose_declared=declared, exclusions=exclusions_of(organisation=organisation,
                                                                                  customer_id=customer_id))


@transaction.atomic
def set_personalisation(*, organisation: Organisation | int, customer_id: int, on: bool) -> PersonalisationOut:
    """Switch personal offers on or off for the customer; takes effect with the next offers."""
    customers.get_customer(organisation=organisation, customer_id=customer_id)
    PersonalisationSetting.objects.for_organisation(organisation).update_or_create(
        organisation_id=organisation_id_of(organisation), customer_id=customer_id, defaults={"personalised": on})
    return personalisation(organisation=organisation, customer_id=customer_id)


def exclusions_of(*, organisation: Organisation | int, customer_id: int) -> list[ExclusionOut]:
    """What the customer asked not to be offered, newest first."""
    rows = OfferExclusion.objects.for_organisation(organisation).filter(customer_id=customer_id).select_related(
        "product")
    return [_exclusion_out(row) for row in rows]


def _exclusion_out(row: OfferExclusion) -> ExclusionOut:
    return ExclusionOut(id=row.pk, kind=row.kind, product_id=row.product_id,
                        product_name=row.product.name if row.product else "", category=row.category,
                        created_at=row.created_at)


@transaction.atomic
def exclude(*, organisation: Organisation | int, customer_id: int, kind: str, product_id: int | None = None,
            category: str = "") -> ExclusionOut:
    """Hide a product or a category from the customer's offers, or mark a product "not interested"."""
    customers.get_customer(organisation=organisation, customer_id=customer_id)
    if kind not in ExclusionKind.values:
        raise InvalidInput(_("unknown kind %(kind)s") % {"kind": repr(kind)}, field="kind")
    if kind == ExclusionKind.CATEGORY:
        if not category.strip():
            raise InvalidInput(_("name the category to hide"), field="category")
        product_id = None
    else:
        if product_id is None:
            raise InvalidInput(_("name the product"), field="product_id")
        commerce.get_product(organisation=organisation, product_id=product_id)
        category = ""
    row, _created = OfferExclusion.objects.for_organisation(organisation).get_or_create(
        organisation_id=organisation_id_of(organisation), customer_id=customer_id, kind=kind, product_id=product_id,
        category=category.strip())
    return _exclusion_out(row)


def remove_exclusion(*, organisation: Organisation | int, customer_id: int, offer_exclusion_id: int) -> None:
    """Undo a hidden product or category (only the customer's own)."""
    get_scoped(OfferExclusion, organisation=organisation, pk=offer_exclusion_id, customer_id=customer_id).delete()


# --- general offers ------------------------------------------------------------------------------------------

def _general_out(offer: Offer) -> GeneralOfferOut:
    return GeneralOfferOut(id=offer.pk, title=offer.title, description=offer.description,
                           product_id=offer.product_id, product_name=offer.product.name if offer.product else "",
                           valid_from=offer.valid_from, valid_until=offer.valid_until, active=offer.active)


def create_offer(*, organisation: Organisation | int, data: OfferIn) -> GeneralOfferOut:
    """Create an offer for all customers."""
    if data.product_id is not None:
        commerce.get_product(organisation=organisation, product_id=data.product_id)
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        raise InvalidInput(_("the offer ends before it starts"), field="valid_until")
    offer = Offer.objects.create(organisation_id=organisation_id_of(organisation), **data.dict())
    return _general_out(offer)


def list_offers(*, organisation: Organisation | int, current_only: bool = False) -> list[GeneralOfferOut]:
    """The organisation's general offers; current_only: active and valid today."""
    offers = Offer.objects.for_organisation(organisation).select_related("product")
    if current_only:
        today = timezone.localdate()
        offers = offers.filter(active=True).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return [_general_out(o) for o in offers]


def get_offer(*, organisation: Organisation | int, offer_id: int) -> GeneralOfferOut:
    """One general offer, or NotFound."""
    return _general_out(get_scoped(Offer, organisation=organisation, pk=offer_id))


def set_offer_active(*, organisation: Organisation | int, offer_id: int, active: bool) -> GeneralOfferOut:
    """Start or stop a general offer; a stopped offer is kept (for the record) but shown to no customer."""
    offer = get_scoped(Offer, organisation=organisation, pk=offer_id)
    offer.active = active
    offer.save(update_fields=["active"])
    return _general_out(offer)


# --- the recommender -----------------------------------------------------------------------------------------

_cache: dict[int, tuple[tuple, "_Loaded"]] = {}
_cache_lock = threading.Lock()


class _Loaded:
    def __init__(self, model: recommend.Model, customer_ids: np.ndarray, product_ids: np.ndarray) -> None:
        self.model = model
        self.customer_ids = customer_ids  # row order; erased customers are -1 (several may be)
        self.customer_row = {int(c): i for i, c in enumerate(customer_ids)}
        self.product_ids = product_ids
        self.product_code = {int(p): i for i, p in enumerate(product_ids)}


def _to_days(moment: datetime) -> float:
    return moment.timestamp() / recommend.SECONDS_PER_DAY


def _serialise(model: recommend.Model, customer_ids: np.ndarray, product_ids: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    h = model.histories
    items = {f"item_{name}": values for name, values in model.items.items()}
    forest = model.forest.to_arrays() if model.forest is not None else {}
    np.savez_compressed(buffer, data=h.data, indices=h.indices, indptr=h.indptr, shape=np.array(h.shape),
                        popularity=model.popularity, now=np.array([model.now]), customer_ids=customer_ids,
                        product_ids=product_ids, **items, **forest)
    return buffer.getvalue()


def _deserialise(blob: bytes) -> _Loaded:
    arrays = np.load(io.BytesIO(bytes(blob)), allow_pickle=False)
    shape = tuple(int(x) for x in arrays["shape"])
    histories = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape)
    items = {name: arrays[f"item_{name}"] for name in recommend.ITEM_FACTS if f"item_{name}" in arrays}
    model = recommend.Model(params=recommend.Params(), now=float(arrays["now"][0]), histories=histories,
                            popularity=arrays["popularity"], n_items=shape[1], items=items,
                            forest=recommend.Forest.from_arrays(arrays))
    return _Loaded(model, arrays["customer_ids"], arrays["product_ids"])


def start_training(*, organisation: Organisation) -> TrainingOut:
    """Start fitting the recommender in the background (a task); returns the run to watch."""
    from eyelevel.offers.tasks import train_recommender_task

    run = RecommenderModel.objects.create(organisation=organisation, status="running")
    transaction.on_commit(lambda: train_recommender_task.enqueue(organisation_id=organisation.pk, run_id=run.pk))
    return _training_out(run)


def _training_out(run: RecommenderModel) -> TrainingOut:
    return TrainingOut(id=run.pk, status=run.status, progress=run.progress, started_at=run.started_at,
                       finished_at=run.finished_at, customers=run.customers, products=run.products, lines=run.lines,
                       error=run.error)


def latest_training(*, organisation: Organisation | int) -> TrainingOut | None:
    """The newest recommender run of the organisation (running, ready or failed), if any."""
    run = RecommenderModel.objects.for_organisation(organisation).defer("data").first()
    return _training_out(run) if run else None


def train_recommender(*, organisation: Organisation | int, run_id: int | None = None,
                      progress=None) -> TrainingOut:  # type: ignore[no-untyped-def]
    """Fit the recommender on every purchase of known customers and store it (replacing older ones)."""
    organisation_id = organisation_id_of(organisation)
    if run_id is None:
        run = RecommenderModel.objects.create(organisation_id=organisation_id, status="running")
    else:
        run = get_scoped(RecommenderModel, organisation=organisation_id, pk=run_id)
    try:
        customer_list, product_list, day_list = [], [], []
        for number, (customer_id, product_id, quantity, purchased_at) in enumerate(
                commerce.iter_purchase_lines(organisation=organisation_id), start=1):
            if quantity > 0:
                customer_list.append(customer_id)
                product_list.append(product_id)
                day_list.append(_to_days(purchased_at))
            if number % 100000 == 0:
                RecommenderModel.objects.for_organisation(organisation_id).filter(pk=run.pk).update(
                    progress=min(50, number // 100000))
                if progress:
                    progress(100000)
        if customer_list:
            customer_ids, customer_codes = np.unique(np.array(customer_list, dtype=np.int64), return_inverse=True)
            product_ids, product_codes = np.unique(np.array(product_list, dtype=np.int64), return_inverse=True)
            # with the learned ranker, as the batch command uses it (fitted on the last horizons of the data)
            model = recommend.fit(customer_codes, product_codes, np.array(day_list), n_customers=len(customer_ids),
                                  n_items=len(product_ids), learn=True)
        else:
            customer_ids = product_ids = np.zeros(0, dtype=np.int64)
            model = recommend.empty_model()
        # Rule 1: a customer erased while this run read and fitted their purchases must not live on in it.
        _blank_customers(model, customer_ids, customers.customers_erased_since(organisation=organisation_id,
                                                                               since=run.started_at))
        run.data = _serialise(model, customer_ids, product_ids)
        run.customers, run.products, run.lines = len(customer_ids), len(product_ids), len(customer_list)
        run.status, run.progress, run.finished_at = "ready", 100, timezone.now()
        run.save()
        RecommenderModel.objects.for_organisation(organisation_id).filter(status="ready").exclude(pk=run.pk).delete()
    except Exception as error:
        run.status, run.error, run.finished_at = "failed", str(error)[:2000], timezone.now()
        run.save()
        raise
    return _training_out(run)


def _loaded(organisation_id: int) -> _Loaded | None:
    # Keyed on the run and when it finished: a run id alone can come again (a database restored, rolled-back tests).
    latest = (RecommenderModel.objects.for_organisation(organisation_id).filter(status="ready")
              .values_list("pk", "finished_at").first())
    if latest is None:
        return None
    with _cache_lock:
        cached = _cache.get(organisation_id)
        if cached and cached[0] == latest:
            return cached[1]
    run = RecommenderModel.objects.for_organisation(organisation_id).get(pk=latest[0])
    loaded = _deserialise(run.data)
    with _cache_lock:
        _cache[organisation_id] = (latest, loaded)
    return loaded


# --- offers for one customer ---------------------------------------------------------------------------------

def _reason(reason: recommend.Reason) -> str:
    if reason.kind == "running_out":
        days = max(1, round(_to_days(timezone.now()) - reason.last_day))
        return _("You usually buy this every %(interval)s days; your last purchase was %(days)s days ago.") % {
            "interval": max(1, round(reason.interval_days)), "days": days}
    if reason.kind == "favourite":
        since = date_format(datetime.fromtimestamp(reason.first_day * recommend.SECONDS_PER_DAY, tz=UTC),
                            "F Y")
        return ngettext("You bought this once, in %(month)s.", "You bought this %(count)d times since %(month)s.",
                        reason.times) % {"count": reason.times, "month": since}
    return _("Customers who shop like you often buy this.")


def _general_list(organisation: Organisation | int, customer_id: int, explanation: str) -> OfferList:
    offers = [OfferOut(kind="general", product_id=o.product_id, product_name=o.product_name, category="",
                       title=o.title, reason=_("An offer for all customers, not chosen from your purchases."))
              for o in list_offers(organisation=organisation, current_only=True)]
    return OfferList(customer_id=customer_id, personal=False, explanation=explanation, offers=offers)


def offers_for(*, organisation: Organisation | int, customer_id: int, limit: int = DEFAULT_LIMIT,
               language: str | None = None) -> OfferList:
    """The customer's offers now: personal ones with reasons if they consented and left it on, else general ones."""
    customer = customers.get_customer(organisation=organisation, customer_id=customer_id)
    return _offers_for(organisation, customer, limit, language)


def offers_and_choices(*, organisation: Organisation | int,
                       customer: CustomerOut) -> tuple[OfferList, PersonalisationOut]:
    """The offers and the personalisation choices of a customer the caller has already read (one lookup)."""
    return (_offers_for(organisation, customer, DEFAULT_LIMIT, None),
            _personalisation(organisation, customer.id))


def _offers_for(organisation: Organisation | int, customer: CustomerOut, limit: int,
                language: str | None) -> OfferList:
    customer_id = customer.id
    with translation.override(language or translation.get_language() or customer.language):
        if not customers.has_consent(organisation=organisation, customer_id=customer_id, purpose_code=PURPOSE_CODE):
            return _general_list(organisation, customer_id, _(
                "You have not agreed to personalised offers, so you see only the offers for all customers."))
        if not _switched_on(organisation, customer_id):
            return _general_list(organisation, customer_id, _(
                "You switched personal offers off, so you see only the offers for all customers."))
        offers = _personal_offers(organisation_id_of(organisation), customer_id, limit)
        return OfferList(customer_id=customer_id, personal=True, offers=offers, explanation=_(
            "Chosen from your own purchases; each offer says why. You can hide products or categories, "
            "or switch personal offers off."))


def _personal_offers(organisation_id: int, customer_id: int, limit: int) -> list[OfferOut]:
    loaded = _loaded(organisation_id)
    model = loaded.model if loaded else recommend.empty_model()
    known = loaded.product_code if loaded else {}
    n_known = len(loaded.product_ids) if loaded else 0
    extra: dict[int, int] = {}  # products the fitted model has not seen get codes after its own
    codes, days = [], []
    for product_id, purchased_at in commerce.purchase_times(organisation=organisation_id, customer_id=customer_id):
        code = known.get(product_id)
        if code is None:
            code = extra.setdefault(product_id, n_known + len(extra))
        codes.append(code)
        days.append(_to_days(purchased_at))
    extra_ids = sorted(extra, key=extra.get)

    def product_id_of(code: int) -> int:
        return int(loaded.product_ids[code]) if code < n_known else extra_ids[code - n_known]

    now = _to_days(timezone.now())
    hidden_products, hidden_categories = set(), set()
    for kind, product_id, category in OfferExclusion.objects.for_organisation(organisation_id).filter(
            customer_id=customer_id).values_list("kind", "product_id", "category"):
        if kind == ExclusionKind.CATEGORY:
            hidden_categories.add(category.casefold())
        else:
            hidden_products.add(product_id)
    # the model's candidates for this customer, reordered by its learned ranker (as in the batch command)
    result = recommend.recommend_one(
        model, np.array(codes, dtype=np.int64), np.array(days), now=now, n_total=n_known + len(extra),
        exclude_row=loaded.customer_row.get(customer_id) if loaded else None,
        n_candidates=max(60, limit * 5 + len(hidden_products)))
    positions = [p for p in range(len(result["item"]))
                 if result["kind"][p] != 3 and product_id_of(int(result["item"][p])) not in hidden_products]
    details = commerce.products_by_id(organisation=organisation_id,
                                      product_ids=[product_id_of(int(result["item"][p])) for p in positions])
    offers = []
    for position in positions:
        product = details.get(product_id_of(int(result["item"][position])))
        if product is None or product.category.casefold() in hidden_categories:
            continue
        reason = recommend.reason_of(result, position)
        offers.append(OfferOut(kind=reason.kind, product_id=product.id, product_name=product.name,
                               category=product.category, title=product.name, reason=_reason(reason),
                               score=round(float(result["score"][position]), 6)))
        if len(offers) >= limit:
            break
    return offers


# --- personal data -------------------------------------------------------------------------------------------

def export_offers(organisation_id: int, customer_id: int) -> dict:
    """The customer's offer choices and current offers, JSON-ready (for the transparency export)."""
    return {
        "personal_offers_switched_on": _switched_on(organisation_id, customer_id),
        "exclusions": [e.model_dump(mode="json") for e in exclusions_of(organisation=organisation_id,
                                                                         customer_id=customer_id)],
    }


@transaction.atomic
def erase_offers(organisation_id: int, customer_id: int) -> int:
    """Delete the customer's offer choices (the fitted model holds no names and is refitted without them)."""
    count = OfferExclusion.objects.for_organisation(organisation_id).filter(customer_id=customer_id).delete()[0]
    count += PersonalisationSetting.objects.for_organisation(organisation_id).filter(
        customer_id=customer_id).delete()[0]
    # The fitted model keeps each customer's decayed history under their id: blank it out. (A training run still
    # in progress blanks customers erased since it started before it saves: train_recommender.)
    for run in RecommenderModel.objects.for_organisation(organisation_id).filter(status="ready"):
        loaded = _deserialise(run.data)
        customer_ids = np.array(loaded.customer_ids, dtype=np.int64)
        if not _blank_customers(loaded.model, customer_ids, {customer_id}):
            continue
        # A stored model is never changed in place: the blanked copy is a new row, so every web process (each
        # caches the model under its row) loads it at the next offer rather than keeping the erased history.
        RecommenderModel.objects.create(
            organisation_id=organisation_id, status="ready", progress=100, finished_at=run.finished_at,
            customers=run.customers, products=run.products, lines=run.lines,
            data=_serialise(loaded.model, customer_ids, loaded.product_ids))
        run.delete()
        count += 1
    return count


def _blank_customers(model: recommend.Model, customer_ids: np.ndarray, erased: set[int]) -> bool:
    """Remove erased customers' histories from a fitted model, and their ids (set to -1) in place; whether any was."""
    rows = np.flatnonzero(np.isin(customer_ids, list(erased)))
    if not rows.size:
        return False
    histories = model.histories  # CSR: zero the rows' stored values in place (no conversion of the whole matrix)
    for row in rows:
        histories.data[histories.indptr[row]:histories.indptr[row + 1]] = 0
    histories.eliminate_zeros()
    customer_ids[rows] = -1
    return True


# --- the personal newsletter ---------------------------------------------------------------------------------

def newsletter_for(*, organisation: Organisation | int, customer_id: int) -> tuple[str, str] | None:
    """Subject and body of the customer's own newsletter, built from their personal offers (None if none)."""
    return _newsletter(organisation, customers.get_customer(organisation=organisation, customer_id=customer_id))


def _newsletter(organisation: Organisation | int, customer: CustomerOut) -> tuple[str, str] | None:
    offers = _offers_for(organisation, customer, 8, customer.language)
    if not offers.personal or not offers.offers:
        return None
    with translation.override(customer.language):
        lines = [_("Hello %(name)s,") % {"name": customer.display_name or _("dear customer")}, "",
                 _("these offers were chosen for you alone, from your own purchases:"), ""]
        for offer in offers.offers:
            lines += [f"* {offer.product_name}", f"  {_('Why:')} {offer.reason}"]
        lines += ["", _("You can hide products or categories, or switch personal offers off, in your portal.")]
        return _("Your personal offers"), "\n".join(lines)


def send_newsletters(*, organisation: Organisation, progress=None) -> NewsletterReport:  # type: ignore[no-untyped-def]
    """Send each consenting customer their own newsletter through the message gate; returns the counts."""
    from eyelevel.messaging import services as messaging
    from eyelevel.messaging.schemas import OutboundMessage

    report = NewsletterReport(considered=0, sent=0, refused=0, skipped=0)
    try:
        consenting = set(customers.customer_ids_for_purpose(organisation=organisation, purpose_code=PURPOSE_CODE))
    except NotFound:
        consenting = set()
    for customer_id in commerce.customer_ids_with_receipts(organisation=organisation):
        report.considered += 1
        if progress:
            progress(1)
        # without consent there is nothing to build: skip before loading the customer and their offers
        if customer_id not in consenting:
            report.skipped += 1
            continue
        customer = customers.get_customer(organisation=organisation, customer_id=customer_id)
        content = _newsletter(organisation, customer)
        if content is None:
            report.skipped += 1
            continue
        with translation.override(customer.language):
            reason = _("You agreed to personalised offers; this newsletter is built from your own purchases.")
        result = messaging.send_to_customer(organisation=organisation, message=OutboundMessage(
            customer_id=customer_id, purpose_code=PURPOSE_CODE, subject=content[0], body=content[1],
            reason=reason, automated=True, sender_name=organisation.name))
        if result.status == "sent":
            report.sent += 1
        else:
            report.refused += 1
    return report
