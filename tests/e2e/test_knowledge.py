"""KCS in a real browser: capture while solving, reuse, validate, publish, and a customer finds it by meaning."""

import pytest

from eyelevel.customers import services as customers
from tests.e2e.conftest import screenshot, staff_login
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.core import OrganisationFactory
from tests.factories.customers import CustomerFactory
from tests.factories.feedback import FeedbackItemFactory
from tests.factories.knowledge import ArticleFactory, ArticleLinkFactory

pytestmark = pytest.mark.usefixtures("transactional_db")

TITLE = "Oven timer resets when the door is opened"
QUERY = "My cooking countdown keeps clearing itself"  # shares no word with TITLE


def test_an_article_is_captured_reused_validated_published_and_found_by_a_customer(page, new_page):
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    for username, role in (("anna", "agent"), ("ben", "agent"), ("clara", "manager")):
        MembershipFactory(organisation=organisation, role=role, user=UserFactory(username=username))
    customer = CustomerFactory(organisation=organisation, display_name="Lena Becker", email="lena@example.com")
    customers.set_portal_password(organisation=organisation, customer_id=customer.pk, password="a-long-password")
    first = FeedbackItemFactory(organisation=organisation, customer=customer,
                                text="The timer of the oven I bought jumps back to zero whenever I open the door.")
    second = FeedbackItemFactory(organisation=organisation,
                                 text="Each time I open my oven the countdown resets. Is the oven broken?")
    ArticleFactory(organisation=organisation, title="Opening hours on public holidays",
                   issue="Are you open on Easter Monday?", resolution="On public holidays we open from 8 to 12.")
    ArticleFactory(organisation=organisation, title="Gift vouchers", issue="Can I buy a voucher for a friend?",
                   resolution="Vouchers are sold at the counter and online, valid for three years.")

    # An agent answers the first item: search first, nothing fits, so she captures a new article.
    staff_login(page, "anna")
    page.goto(f"/staff/knowledge/from-feedback/{first.pk}/")
    assert "jumps back to zero" in page.locator("#id_issue").input_value()  # prefilled from the item
    page.fill("#id_title", TITLE)
    # Suggestions follow what she types (here a question about vouchers: the voucher article appears).
    page.fill("#id_resolution", "Can I give a gift voucher to a friend?")
    page.get_by_test_id("knowledge-suggestions").get_by_text("Gift vouchers").wait_for()
    page.fill("#id_resolution", "Hold the timer button for three seconds to lock it before opening the door.")
    page.fill("#id_environment", "Oven model B-200")
    page.select_option("#id_visibility", "customers")
    page.get_by_test_id("create-article").click()
    page.get_by_test_id("linked-articles").wait_for()

    # A second agent gets a similar item; the search offers the article and he reuses it.
    ben = new_page()
    staff_login(ben, "ben")
    ben.goto(f"/staff/knowledge/from-feedback/{second.pk}/")
    # Suggestions beside the new-article form, from the item's text, point to it too (no duplicate).
    ben.get_by_test_id("knowledge-suggestions").get_by_text(TITLE).wait_for()
    hits = ben.get_by_test_id("feedback-hits")
    assert hits.locator("li").first.locator("a").first.inner_text() == TITLE
    hits.locator("li").first.get_by_role("button").click()
    ben.get_by_test_id("linked-articles").wait_for()
    ben.get_by_test_id("linked-articles").get_by_role("link").first.click()
    assert ben.get_by_test_id("reuse-count").inner_text() == "2"
    assert "Move to: Validated" not in ben.content()  # an agent is not licensed to validate
    article_url = ben.url

    # The coach validates and publishes it.
    clara = new_page()
    staff_login(clara, "clara")
    clara.goto(article_url)
    clara.get_by_role("button", name="Move to: Validated").click()
    clara.get_by_role("button", name="Publish to the portal").click()
    clara.get_by_test_id("article-published").wait_for()
    assert clara.get_by_test_id("article-state").inner_text() == "Validated"
    screenshot(clara, "knowledge-article")

    # The customer finds it in the portal with words the title does not use.
    lena = new_page()
    lena.goto("/portal/login/")
    lena.fill("#portal-email", "lena@example.com")
    lena.fill("#portal-password", "a-long-password")
    lena.click("main button[type=submit]")
    lena.wait_for_url("**/portal/")
    lena.goto("/portal/knowledge/")
    assert not set(QUERY.lower().split()) & set(TITLE.lower().split())
    lena.fill("#portal-knowledge-search", QUERY)
    first_hit = lena.get_by_test_id("portal-hits").locator("li a").first
    first_hit.wait_for()
    assert first_hit.inner_text() == TITLE
    screenshot(lena, "knowledge-portal-search")
    first_hit.click()
    assert lena.get_by_test_id("portal-article-title").inner_text() == TITLE
    lena.get_by_role("button", name="Yes, this answered my question").click()
    lena.get_by_text("glad the article answered your question").wait_for()


def test_a_customers_name_and_number_keep_an_article_out_of_the_portal_until_fixed(page):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Sonnenhof Bakery")
    MembershipFactory(organisation=organisation, role="manager", user=UserFactory(username="clara"))
    customer = CustomerFactory(organisation=organisation, display_name="Lena Becker", email="lena@example.com")
    words = "Lena Becker here: the oven timer resets when I open the door. Call me on 0171 2345678."
    item = FeedbackItemFactory(organisation=organisation, customer=customer, text=words)
    article = ArticleFactory(organisation=organisation, title=TITLE, issue=words, state="validated", published=False,
                             visibility="customers", resolution="Hold the timer button for three seconds.")
    ArticleLinkFactory(organisation=organisation, article=article, feedback_item=item)

    staff_login(page, "clara")
    page.goto(f"/staff/knowledge/{article.pk}/")
    found = page.get_by_test_id("personal-data")
    assert "issue (in the customer's words): a linked customer's name “Lena Becker”" in found.inner_text()
    assert "phone number “0171 2345678”" in found.inner_text()
    screenshot(page, "knowledge-personal-data")
    page.get_by_role("button", name="Publish to the portal").click()
    page.get_by_text("not published: the issue (in the customer's words) contains what looks like personal data "
                     "(phone number “0171 2345678”)").wait_for()
    assert page.get_by_test_id("article-published").count() == 0

    # The coach keeps the customer's words but not who they are, and publishes.
    page.get_by_role("link", name="Fix it").click()
    page.fill("#id_issue", "The oven timer resets when I open the door.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Article fixed.").wait_for()
    assert page.get_by_test_id("personal-data").count() == 0
    page.get_by_role("button", name="Publish to the portal").click()
    page.get_by_test_id("article-published").wait_for()
