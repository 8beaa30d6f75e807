"""The prose of the privacy statement of 24 May 2018 that is not a fact of the register.

The facts (data categories, legal basis, recipients, transfers, retention) of each purpose come
from ``privacy.register``; what stays here is the statement's own wording around them, in Dutch
as published and in a faithful English translation.
"""

SUPERVISOR = {
    "name": "Autoriteit Persoonsgegevens",
    "website": "https://autoriteitpersoonsgegevens.nl",
    "website_display": "autoriteitpersoonsgegevens.nl",
    "postal_address": "Postbus 93374, 2509 AJ Den Haag",
    "phone": "088 - 1805 250",
    "phone_e164": "+31881805250",
}

PROSE: dict[str, dict[str, tuple[str, ...]]] = {
    "P1": {
        "nl": (
            "Wanneer je bij ons een bestelling plaatst, gebruiken wij je persoonsgegevens om deze netjes af te kunnen "
            "handelen. Wij mogen je persoonsgegevens dan aan onze bezorgdienst geven om de bestelling bij jou te laten "
            "bezorgen. Ook krijgen wij informatie over je betaling van je bank of creditcardmaatschappij.",
        ),
        "en": (
            "When you place an order with us, we use your personal data to handle it properly. We may then give your "
            "personal data to our delivery service to have the order delivered to you. We also receive information "
            "about your payment from your bank or credit card company.",
        ),
    },
    "P2": {
        "nl": (
            "Met ons portaal krijg je toegang tot een beheeromgeving waar je zelf dingen kunt instellen, opgeven en "
            "wijzigen voor je website. Wij houden bij wat je gedaan hebt en wanneer, zodat daar bewijs van is.",
        ),
        "en": (
            "Our portal gives you access to a management environment where you can set, submit and change things for "
            "your website yourself. We keep track of what you did and when, so that there is evidence of it.",
        ),
    },
    "P3": {
        "nl": (
            "Wij houden statistieken bij over het gebruik van onze website, maar dit gebeurt te allen tijde "
            "geanonimiseerd. Met deze statistieken verbeteren we onze website om zo bijvoorbeeld alleen nog relevante "
            "informatie te laten zien. Wij kunnen je persoonsgegevens met elkaar combineren om meer over jou te weten "
            "te komen. Uiteraard zullen wij je privacy te allen tijde respecteren. Wil je dit niet, dan kun je dit "
            "altijd aan ons melden.",
        ),
        "en": (
            "We keep statistics on the use of our website, but this is always done anonymously. With these "
            "statistics we improve our website, for example to show only relevant information. We may combine your "
            "personal data to learn more about you. Of course we will respect your privacy at all times. If you do "
            "not want this, you can always tell us.",
        ),
    },
    "P4": {
        "nl": (
            "Je kunt in onze website Netrex.nl dingen kopen waarbij wij je persoonsgegevens gebruiken om de aankoop af "
            "te handelen en te registreren.",
        ),
        "en": (
            "You can buy things on our website Netrex.nl, for which we use your personal data to handle and register "
            "the purchase.",
        ),
    },
    "P5": {
        "nl": (
            "Je kunt bij onze website Netrex.nl een betaald abonnement afsluiten, waarbij wij je persoonsgegevens "
            "gebruiken om de betaling af te handelen.",
        ),
        "en": (
            "You can take out a paid subscription on our website Netrex.nl, for which we use your personal data to "
            "handle the payment.",
        ),
    },
    "P6": {
        "nl": ("Met het contactformulier kun je ons vragen stellen of aanvragen doen.",),
        "en": ("With the contact form you can ask us questions or make requests.",),
    },
    "P7": {
        "nl": (
            "Je kunt je abonneren op onze nieuwsbrief. Hierin lees je nieuwtjes, tips en informatie over onze "
            "producten en diensten. Dit abonnement kun je op ieder moment opzeggen. Iedere nieuwsbrief bevat een "
            "afmeldlink. Via je account kun je dit ook doorgeven. Via het portaal kun je dit ook doorgeven.",
            "Je e-mailadres wordt automatisch toegevoegd aan de lijst van abonnees.",
        ),
        "en": (
            "You can subscribe to our newsletter. In it you read news, tips and information about our products and "
            "services. You can cancel this subscription at any time. Every newsletter contains an unsubscribe link. "
            "You can also tell us through your account. You can also tell us through the portal.",
            "Your email address is added to the list of subscribers automatically.",
        ),
    },
    "P8": {
        "nl": (
            "Sommige dingen bij Netrex.nl werken met credits, die je vooraf moet kopen, en waarbij wij je "
            "persoonsgegevens gebruiken om de aankoop af te handelen en om de credits te registreren.",
        ),
        "en": (
            "Some things at Netrex.nl work with credits, which you have to buy in advance, and for which we use your "
            "personal data to handle the purchase and to register the credits.",
        ),
    },
    "P9": {
        "nl": (
            "Bij bepaalde onderdelen van onze website moet je je eerst registreren. Je moet dan informatie over "
            "jezelf opgeven en een gebruikersnaam kiezen. Daarmee maken wij een account, waarop je kunt inloggen met "
            "die gebruikersnaam en een zelfgekozen wachtwoord.",
            "Wij bewaren deze informatie zodat je ze niet steeds opnieuw in hoeft te vullen en zodat we je "
            "makkelijker kunnen benaderen als dat nodig is bij de website. Je kunt via je account informatie "
            "aanpassen wanneer je dat wilt.",
        ),
        "en": (
            "For some parts of our website you first have to register. You then have to give information about "
            "yourself and choose a username. With it we create an account, on which you can log in with that "
            "username and a password of your own choosing.",
            "We keep this information so that you do not have to fill it in again and again, and so that we can "
            "reach you more easily when the website needs it. You can change your information through your account "
            "whenever you want.",
        ),
    },
    "P10": {
        "nl": (
            "Wij willen jou graag reclame sturen over aanbiedingen en nieuwe producten of diensten. Dit doen wij per "
            "e-mail, via social media en per telefoon.",
            "Je kunt op ieder moment bezwaar maken tegen deze reclame. Elke e-mail bevat een afmeldlink. Je kunt ons "
            "blokkeren of de afmeldoptie gebruiken. Je kunt dit aangeven als je wordt gebeld. Via je account kun je "
            "dit ook doorgeven. Via het portaal kun je dit ook doorgeven.",
        ),
        "en": (
            "We would like to send you advertising about offers and new products or services. We do this by email, "
            "via social media and by phone.",
            "You can object to this advertising at any time. Every email contains an unsubscribe link. You can block "
            "us or use the opt-out option. You can say so when you are called. You can also tell us through your "
            "account. You can also tell us through the portal.",
        ),
    },
}


def prose(purpose_id: str, language: str) -> tuple[str, ...]:
    return PROSE.get(purpose_id, {}).get("en" if language.startswith("en") else "nl", ())
