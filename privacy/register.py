"""The processing register: purposes P1–P10 of the privacy statement, written once, as data.

Everything that shows, keeps, exports or deletes personal data reads it from here: the privacy
page, the retention sweep, account closure, "my data" and the export.  Nothing else in the code
states a purpose, a data category, a legal basis, a recipient or a retention period.

Each purpose carries the fields of a record of processing activities (GDPR art. 30(1)).  A
retention ``Rule`` is a clock: the business event that starts it plus a duration.  Durations that
the business may tune are read from a named setting at the moment they are used.
"""

from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """The business events that start a retention clock."""

    ORDER_COMPLETED = "order_completed", _("the order is completed")
    ORDER_ABANDONED = "order_abandoned", _("the order was cancelled, expired or failed")
    SUBSCRIPTION_CANCELLED = "subscription_cancelled", _("the subscription is cancelled")
    SERVICE_ENDED = "service_ended", _("your last service ends or your account is closed")
    ACCOUNT_CLOSED = "account_closed", _("your account is closed")
    UNSUBSCRIBED = "unsubscribed", _("you unsubscribe")
    ANSWER_ACCEPTED = "answer_accepted", _("you tell us our answer helped")
    ANSWERED = "answered", _("we answered and you did not reply")
    RECORD_CREATED = "record_created", _("the data is recorded")
    EXPORT_MADE = "export_made", _("the export is made (its download link expires then too)")
    OBJECTED = "objected", _("you object")
    STALE = "stale", _("it is no longer used")
    REQUEST_CLOSED = "request_closed", _("your privacy request is dealt with")


class Category(models.TextChoices):
    """Data categories as the statement names them."""

    NAW = "naw", _("name and address (NAW)")
    EMAIL = "email", _("email address")
    PHONE = "phone", _("phone number")
    IP = "ip", _("IP address")
    GENDER = "gender", _("gender")
    BIRTH_DATE = "birth_date", _("birth date")
    BILLING_ADDRESS = "billing_address", _("billing address")
    PAYMENT = "payment", _("payment data")
    NICKNAME = "nickname", _("nickname")
    PHOTO = "photo", _("profile photo")
    SOCIAL_HANDLE = "social_handle", _("social media handle")
    USAGE = "usage", _("usage of the portal")


class Ground(models.TextChoices):
    """The ground a consent record rests on (issue 16): opt-in consent, or the customer exception's opt-out."""

    CONSENT = "consent", _("consent: an explicit opt-in (GDPR art. 6(1)(a), art. 7)")
    CUSTOMER_OPT_OUT = (
        "customer_opt_out",
        _("customer exception: existing customers, with a clear opt-out (Telecommunicatiewet art. 11.7 lid 3)"),
    )


# The parts of a purpose a consent record may cover on its own (P10's advertising channels).
SCOPE_LABELS = {"email": _("email"), "phone": _("phone"), "social": _("social media")}


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str  # in English, translated when shown ({% translate recipient.name %})
    role: object
    country: str = "NL"
    outside_eu: bool = False
    safeguard: object = ""


DELIVERY = Recipient("delivery", gettext_noop("Delivery service"), _("delivers physical orders"))
MOLLIE = Recipient("mollie", "Mollie B.V.", _("payment service provider"))
GOOGLE = Recipient(
    "google",
    "Google LLC (Google Analytics)",
    _("website statistics, only after your explicit consent"),
    country="US",
    outside_eu=True,
    safeguard=_("EU-U.S. Data Privacy Framework and standard contractual clauses"),
)
SALESFEED = Recipient("salesfeed", "SalesFeed B.V.", _("recognises companies visiting the website"))
MATOMO = Recipient("matomo", gettext_noop("Matomo (hosted by Netrex itself)"), _("anonymised website statistics"))
AUTHORITIES = Recipient(
    "authorities",
    str(_("Authorities with a legal claim (for example the police)")),
    _("only where the law requires it"),
)
RECIPIENTS = {r.key: r for r in (DELIVERY, MOLLIE, GOOGLE, SALESFEED, MATOMO, AUTHORITIES)}


@dataclass(frozen=True)
class Rule:
    """A retention clock: ``event`` plus ``duration`` (or the value of ``setting``, in days, when set)."""

    key: str
    purpose: str
    event: Event
    duration: relativedelta
    setting: str = ""
    description: object = ""
    # False for a rule that exists only in development (the Mollie simulator's rows): the sweep
    # enforces it, the privacy page does not publish it.
    published: bool = True

    def period(self) -> relativedelta:
        if self.setting:
            days = getattr(settings, self.setting, None)
            if days is not None:
                return relativedelta(days=int(days))
        return self.duration

    def expires(self, started):
        """The moment data whose clock started at ``started`` is due; ``None`` while the clock has not started."""
        return None if started is None else started + self.period()

    def cutoff(self, now):
        """Rows whose clock started at or before this moment are due at ``now``."""
        return now - self.period()

    def period_text(self) -> str:
        return describe_period(self.period())

    def when_text(self) -> str:
        """When data whose clock has not started goes: "7 years after the order is completed", "as soon as …"."""
        from django.utils.translation import gettext

        period = self.period()
        event = str(self.event.label)
        if not any((period.years, period.months, period.days, period.hours)):
            return gettext("as soon as %(event)s") % {"event": event}
        return gettext("%(period)s after %(event)s") % {"period": self.period_text(), "event": event}


@dataclass(frozen=True)
class Purpose:
    id: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    categories: tuple[Category, ...]
    legal_basis_nl: str
    legal_basis_en: str
    recipients: tuple[Recipient, ...]
    rules: tuple[Rule, ...]
    data_subjects_nl: str = "Klanten van Netrex"
    data_subjects_en: str = "Netrex customers"
    statement_retention_nl: str = ""
    statement_retention_en: str = ""
    fiscal_duty: bool = False
    consent_withdrawable: bool = True
    extra: dict = field(default_factory=dict)
    # Where the basis is consent or the customer exception: the ground a new record rests on, per scope
    # ("" for the whole purpose, or an advertising channel).  Empty for purposes no switch changes.
    grounds: dict = field(default_factory=dict)

    def ground(self, scope: str = "") -> str:
        """The ground a consent record of this purpose (and ``scope``) rests on, or ``""`` when none applies."""
        return self.grounds.get(scope, self.grounds.get("", ""))

    def ground_labels(self) -> list[str]:
        """The grounds of this purpose in words, for the register and the privacy page."""
        labels = []
        scoped = {scope: ground for scope, ground in self.grounds.items() if scope}
        for scope, ground in scoped.items() or self.grounds.items():
            label = str(Ground(ground).label)
            labels.append(f"{SCOPE_LABELS[scope]}: {label}" if scope else label)
        return labels

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if _english() else self.description_nl

    @property
    def legal_basis(self) -> str:
        return self.legal_basis_en if _english() else self.legal_basis_nl

    @property
    def data_subjects(self) -> str:
        return self.data_subjects_en if _english() else self.data_subjects_nl

    @property
    def transfers(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.outside_eu)

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories]


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def describe_period(period: relativedelta) -> str:
    from django.utils.translation import ngettext

    parts = []
    if period.years:
        parts.append(ngettext("%(n)d year", "%(n)d years", period.years) % {"n": period.years})
    if period.months:
        parts.append(ngettext("%(n)d month", "%(n)d months", period.months) % {"n": period.months})
    days = period.days
    if days and days % 7 == 0:
        parts.append(ngettext("%(n)d week", "%(n)d weeks", days // 7) % {"n": days // 7})
    elif days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if period.hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", period.hours) % {"n": period.hours})
    return ", ".join(parts) if parts else str(_("immediately"))


CONSENT_NL = "Toestemming van de betrokkene (art. 6 lid 1 sub a AVG), zoals de privacyverklaring zegt"
CONSENT_EN = "Consent of the data subject (GDPR art. 6(1)(a)), as the privacy statement says"
CONTRACT_NL = (
    "Toestemming (privacyverklaring) en uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG); "
    "de bewaarplicht volgt uit de wettelijke fiscale bewaarplicht (art. 52 AWR)"
)
CONTRACT_EN = (
    "Consent (privacy statement) and performance of the contract (GDPR art. 6(1)(b)); "
    "retention follows the statutory fiscal retention duty (Dutch General Tax Act, art. 52)"
)
SEVEN_YEARS = relativedelta(years=7)
OPT_IN_NL = (
    "Toestemming van de betrokkene (art. 6 lid 1 sub a AVG): alleen na een uitdrukkelijke keuze (een vakje dat je "
    "zelf aanvinkt), aan te tonen met een vastgelegde toestemming (art. 7 lid 1 AVG)"
)
OPT_IN_EN = (
    "Consent of the data subject (GDPR art. 6(1)(a)): only after an explicit choice (a box you tick yourself), "
    "demonstrated by a recorded consent (GDPR art. 7(1))"
)
CUSTOMER_OPT_OUT_NL = (
    "Voor klanten: de klantuitzondering van art. 11.7 lid 3 Telecommunicatiewet (berichten over onze eigen, "
    "vergelijkbare producten en diensten), met een duidelijke afmeldmogelijkheid bij het aanmaken van je account en "
    "in elk bericht; wie geen klant is, alleen na bevestigde aanmelding (toestemming, art. 6 lid 1 sub a AVG)"
)
CUSTOMER_OPT_OUT_EN = (
    "For customers: the customer exception of the Dutch Telecommunications Act, art. 11.7(3) (messages about our own "
    "similar products and services), with a clear opt-out when you create your account and in every message; for "
    "anyone else only after a confirmed sign-up (consent, GDPR art. 6(1)(a))"
)
ADVERTISING_NL = (
    "E-mail en telefoon aan klanten: de klantuitzondering van art. 11.7 lid 3 Telecommunicatiewet, met een duidelijke "
    "afmeldmogelijkheid bij het aanmaken van je account, in elke e-mail en aan de telefoon; social media: alleen met "
    "je uitdrukkelijke toestemming (art. 6 lid 1 sub a AVG), die je zelf aanvinkt"
)
ADVERTISING_EN = (
    "Email and phone to customers: the customer exception of the Dutch Telecommunications Act, art. 11.7(3), with a "
    "clear opt-out when you create your account, in every email and on the phone; social media: only with your "
    "explicit consent (GDPR art. 6(1)(a)), a box you tick yourself"
)

PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        id="P1",
        name_nl="Afhandelen bestelling",
        name_en="Order handling",
        description_nl="Wanneer je bij ons een bestelling plaatst, maken we voor de afhandeling daarvan gebruik van "
        "je persoonsgegevens. Gegevens die nodig zijn voor de bezorging geven we door aan de bezorgdienst; "
        "betaalgegevens ontvangen we van Mollie.",
        description_en="When you place an order we use your personal data to handle it. What delivery needs is passed "
        "to the delivery service; payment details reach us from Mollie.",
        categories=(
            Category.PAYMENT,
            Category.NAW,
            Category.GENDER,
            Category.IP,
            Category.EMAIL,
            Category.PHONE,
            Category.BILLING_ADDRESS,
        ),
        legal_basis_nl=CONTRACT_NL,
        legal_basis_en=CONTRACT_EN,
        recipients=(DELIVERY, MOLLIE),
        rules=(
            Rule("order_completed", "P1", Event.ORDER_COMPLETED, SEVEN_YEARS),
            # What the invoice does not show (gender, IP address, phone, e-mail; the delivery address given to
            # the carrier) is needed only while the order is handled: blanked after this, the rest kept.
            Rule("order_handled", "P1", Event.ORDER_COMPLETED, relativedelta(months=6)),
            Rule(
                "order_abandoned",
                "P1",
                Event.ORDER_ABANDONED,
                relativedelta(days=90),
                setting="RETENTION_ABANDONED_ORDER_DAYS",
            ),
            # A cart that is never ordered: gone a month after it was last changed.
            Rule("cart_abandoned", "P1", Event.STALE, relativedelta(days=30)),
        ),
        statement_retention_nl="Tot de bestelling is afgerond en daarna zeven jaar (fiscale bewaarplicht).",
        statement_retention_en="Until the order is completed, then seven years (fiscal retention duty).",
        fiscal_duty=True,
        consent_withdrawable=False,
    ),
    Purpose(
        id="P2",
        name_nl="Toegang portaal",
        name_en="Portal access",
        description_nl="Binnen ons portaal heb je toegang tot een beheeromgeving waar je zelf zaken voor je website "
        "kunt instellen, opgeven en wijzigen. Wij houden bij wat je gedaan hebt en wanneer, zodat daar bewijs van is.",
        description_en="The portal is a management environment where you set, submit and change things for your "
        "website yourself. We record what you did and when, as evidence.",
        categories=(
            Category.NAW,
            Category.PAYMENT,
            Category.BILLING_ADDRESS,
            Category.IP,
            Category.PHONE,
            Category.EMAIL,
            Category.GENDER,
            Category.USAGE,
        ),
        legal_basis_nl=CONSENT_NL,
        legal_basis_en=CONSENT_EN,
        recipients=(),
        rules=(
            # The statement promises "until the end of the service": no grace period.  A grace period would
            # be a new statement version with its change notice (C37), never a setting.
            Rule("service_ended", "P2", Event.SERVICE_ENDED, relativedelta(days=0)),
            Rule("admin_log_recorded", "P2", Event.RECORD_CREATED, relativedelta(years=1)),
        ),
        statement_retention_nl="Tot het einde van de dienstverlening aan jou.",
        statement_retention_en="Until the end of the service to you.",
        consent_withdrawable=False,
    ),
    Purpose(
        id="P3",
        name_nl="Statistieken en profilering",
        name_en="Statistics and profiling",
        description_nl="We houden statistieken bij over het gebruik van onze website; die zijn altijd geanonimiseerd. "
        "Voor profilering combineren we gegevens; daartegen kun je altijd bezwaar maken.",
        description_en="We keep statistics of how our website is used; they are anonymised at all times. For "
        "profiling we combine data; you can object to that at any time.",
        categories=(Category.EMAIL, Category.IP),
        legal_basis_nl=OPT_IN_NL,
        legal_basis_en=OPT_IN_EN,
        recipients=(MATOMO, SALESFEED, GOOGLE),
        rules=(
            Rule("profiling_recorded", "P3", Event.RECORD_CREATED, relativedelta(weeks=6)),
            # A cookie choice is proof for as long as it is used: the banner asks again when it expires.
            Rule("cookie_choice_expired", "P3", Event.RECORD_CREATED, relativedelta(months=13)),
        ),
        grounds={"": Ground.CONSENT},
        statement_retention_nl="Zes weken.",
        statement_retention_en="Six weeks.",
    ),
    Purpose(
        id="P4",
        name_nl="In-app aankopen doen",
        name_en="In-app purchases",
        description_nl="In het portaal kun je aankopen doen; die handelen we af en registreren we.",
        description_en="You can buy things inside the portal; we handle and register the purchase.",
        categories=(
            Category.IP,
            Category.EMAIL,
            Category.BILLING_ADDRESS,
            Category.NAW,
            Category.PHONE,
            Category.GENDER,
            Category.BIRTH_DATE,
            Category.PAYMENT,
        ),
        legal_basis_nl=CONTRACT_NL,
        legal_basis_en=CONTRACT_EN,
        recipients=(MOLLIE,),
        rules=(Rule("inapp_completed", "P4", Event.ORDER_COMPLETED, SEVEN_YEARS),),
        statement_retention_nl="Tot de bestelling is afgerond en daarna zeven jaar.",
        statement_retention_en="Until the order is completed, then seven years.",
        fiscal_duty=True,
        consent_withdrawable=False,
    ),
    Purpose(
        id="P5",
        name_nl="Een abonnement afsluiten",
        name_en="Subscription",
        description_nl="Je kunt een betaald abonnement afsluiten; de (terugkerende) betaling loopt via Mollie.",
        description_en="You can take out a paid subscription; the (recurring) payment runs through Mollie.",
        categories=(
            Category.BILLING_ADDRESS,
            Category.PHONE,
            Category.PAYMENT,
            Category.EMAIL,
            Category.NAW,
            Category.GENDER,
            Category.IP,
        ),
        legal_basis_nl=CONTRACT_NL,
        legal_basis_en=CONTRACT_EN,
        recipients=(MOLLIE,),
        rules=(Rule("subscription_cancelled", "P5", Event.SUBSCRIPTION_CANCELLED, SEVEN_YEARS),),
        statement_retention_nl="Tot het abonnement is opgezegd en daarna zeven jaar.",
        statement_retention_en="Until the subscription is cancelled, then seven years.",
        fiscal_duty=True,
        consent_withdrawable=False,
    ),
    Purpose(
        id="P6",
        name_nl="Contactformulier",
        name_en="Contact form",
        description_nl="Met het contactformulier kun je ons vragen stellen of aanvragen doen, ook zonder account.",
        description_en="With the contact form you can ask us questions or make requests, also without an account.",
        categories=(Category.EMAIL, Category.IP, Category.PHONE, Category.NAW, Category.GENDER),
        legal_basis_nl=CONSENT_NL,
        legal_basis_en=CONSENT_EN,
        recipients=(),
        rules=(
            Rule("contact_satisfied", "P6", Event.ANSWER_ACCEPTED, relativedelta(days=0)),
            Rule(
                "contact_silence",
                "P6",
                Event.ANSWERED,
                relativedelta(days=30),
                setting="RETENTION_CONTACT_SILENCE_DAYS",
            ),
        ),
        data_subjects_nl="Klanten en andere bezoekers van de website",
        data_subjects_en="Customers and other website visitors",
        statement_retention_nl="Totdat we er zeker van zijn dat je tevreden bent met onze reactie.",
        statement_retention_en="Until we are sure you are satisfied with our answer.",
    ),
    Purpose(
        id="P7",
        name_nl="Nieuwsbrief",
        name_en="Newsletter",
        description_nl="Met onze nieuwsbrief informeren we je over nieuws, tips en onze producten en diensten. Je "
        "e-mailadres wordt automatisch op de lijst gezet; je kunt je altijd afmelden.",
        description_en="Our newsletter tells you about news, tips and our products and services. Your email address "
        "is added to the list automatically; you can unsubscribe at any time.",
        categories=(Category.EMAIL,),
        legal_basis_nl=CUSTOMER_OPT_OUT_NL,
        legal_basis_en=CUSTOMER_OPT_OUT_EN,
        recipients=(),
        rules=(
            Rule("newsletter_unsubscribed", "P7", Event.UNSUBSCRIBED, relativedelta(days=0)),
            # An address whose owner never confirmed it (or never followed the opt-in link) is not kept.
            Rule("newsletter_unconfirmed", "P7", Event.RECORD_CREATED, relativedelta(days=7)),
        ),
        grounds={"": Ground.CUSTOMER_OPT_OUT},
        data_subjects_nl="Klanten en andere abonnees van de nieuwsbrief",
        data_subjects_en="Customers and other newsletter subscribers",
        statement_retention_nl="Totdat je je afmeldt.",
        statement_retention_en="Until you unsubscribe.",
    ),
    Purpose(
        id="P8",
        name_nl="Aankopen credits",
        name_en="Credits purchase",
        description_nl="Sommige zaken in het portaal werken met vooraf gekochte credits; we handelen de aankoop af "
        "en registreren je credits.",
        description_en="Some things in the portal work with credits bought in advance; we handle the purchase and "
        "register your credits.",
        categories=(
            Category.IP,
            Category.PHOTO,
            Category.BIRTH_DATE,
            Category.NICKNAME,
            Category.EMAIL,
            Category.NAW,
            Category.PHONE,
            Category.PAYMENT,
            Category.GENDER,
            Category.BILLING_ADDRESS,
        ),
        legal_basis_nl=CONTRACT_NL,
        legal_basis_en=CONTRACT_EN,
        recipients=(MOLLIE,),
        rules=(Rule("credits_completed", "P8", Event.ORDER_COMPLETED, SEVEN_YEARS),),
        statement_retention_nl="Tot de bestelling is afgerond en daarna zeven jaar.",
        statement_retention_en="Until the order is completed, then seven years.",
        fiscal_duty=True,
        consent_withdrawable=False,
    ),
    Purpose(
        id="P9",
        name_nl="Je account",
        name_en="Your account",
        description_nl="Je registreert je met je gegevens, een zelfgekozen gebruikersnaam en wachtwoord, en kunt je "
        "gegevens via je account altijd wijzigen.",
        description_en="You register with your details, a username and a password of your own choosing, and can "
        "change your details through your account whenever you want.",
        categories=(
            Category.NICKNAME,
            Category.NAW,
            Category.PHONE,
            Category.PHOTO,
            Category.EMAIL,
            Category.IP,
            Category.BIRTH_DATE,
            Category.BILLING_ADDRESS,
            Category.PAYMENT,
            Category.GENDER,
        ),
        legal_basis_nl=CONSENT_NL,
        legal_basis_en=CONSENT_EN,
        recipients=(),
        rules=(
            Rule("account_closed", "P9", Event.ACCOUNT_CLOSED, relativedelta(days=0)),
            Rule("account_stale", "P9", Event.STALE, relativedelta(days=14), setting="RETENTION_STALE_DAYS"),
            Rule("export_expired", "P9", Event.EXPORT_MADE, relativedelta(days=7), setting="RIGHTS_EXPORT_DAYS"),
            Rule(
                "request_closed", "P9", Event.REQUEST_CLOSED, relativedelta(years=1), setting="RIGHTS_REQUEST_KEEP_DAYS"
            ),
            # A privacy request whose confirmation link was never followed: the pending record goes.
            Rule("request_unconfirmed", "P9", Event.RECORD_CREATED, relativedelta(days=7)),
        ),
        statement_retention_nl="Totdat je je account opzegt.",
        statement_retention_en="Until you close your account.",
        consent_withdrawable=False,
    ),
    Purpose(
        id="P10",
        name_nl="Reclame",
        name_en="Advertising",
        description_nl="We kunnen je reclame sturen per e-mail, via social media en telefonisch. Je kunt daar altijd "
        "bezwaar tegen maken: via de afmeldlink, door ons te blokkeren, door het te zeggen als we bellen, via je "
        "account en via het portaal.",
        description_en="We may send you advertising by email, on social media and by phone. You can object at any "
        "time: with the unsubscribe link, by blocking us, by saying so when we call, through your account and "
        "through the portal.",
        categories=(Category.EMAIL, Category.PHONE, Category.SOCIAL_HANDLE),
        legal_basis_nl=ADVERTISING_NL,
        legal_basis_en=ADVERTISING_EN,
        grounds={
            "": Ground.CUSTOMER_OPT_OUT,
            "email": Ground.CUSTOMER_OPT_OUT,
            "phone": Ground.CUSTOMER_OPT_OUT,
            "social": Ground.CONSENT,
        },
        recipients=(),
        rules=(
            Rule("advertising_objected", "P10", Event.OBJECTED, relativedelta(days=0)),
            # The history of the choices; the current choice per channel stays, so an objection is honoured.
            Rule("advertising_history", "P10", Event.RECORD_CREATED, relativedelta(years=2)),
        ),
        statement_retention_nl="Niet genoemd; totdat je bezwaar maakt (het bezwaar zelf bewaren we zolang we het "
        "moeten respecteren).",
        statement_retention_en="Not stated; until you object (the objection itself is kept for as long as it must be "
        "honoured).",
    ),
)

BY_ID = {purpose.id: purpose for purpose in PURPOSES}
# Rules for rows that only exist in development (the Mollie simulator stands in for Mollie and holds
# what Mollie would): enforced by the sweep wherever their app is installed, never published.
DEVELOPMENT_RULES = (Rule("simulator_recorded", "P5", Event.RECORD_CREATED, relativedelta(days=30), published=False),)
RULES = {rule.key: rule for purpose in PURPOSES for rule in purpose.rules} | {r.key: r for r in DEVELOPMENT_RULES}

CONTROLLER = {
    "name": "Netrex Internet Solutions BV",
    "address": "Oostdam 2, 3441 EM Woerden",
    "email": "info@netrex.nl",
    "phone": "0348433886",
    "phone_display": "0348 433 886",
}
SECURITY_MEASURES_NL = (
    "Versleutelde verbindingen (HTTPS met HSTS), wachtwoorden gehasht met Argon2, tweestapsverificatie verplicht voor "
    "medewerkers, rolgebaseerde toegang, activiteitenlog, automatische verwijdering volgens de bewaartermijnen."
)
SECURITY_MEASURES_EN = (
    "Encrypted connections (HTTPS with HSTS), passwords hashed with Argon2, two-factor authentication required for "
    "staff, role-based access, activity log, automatic deletion by the retention periods."
)


def purpose(purpose_id: str) -> Purpose:
    return BY_ID[purpose_id]


def rule(key: str) -> Rule:
    return RULES[key]
