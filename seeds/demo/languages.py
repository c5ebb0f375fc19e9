"""The demo local publishes in Spanish and Hmong besides English: its published demands, the
public actions to come and the page's story have Spanish texts; Hmong has only a few, so the
public page shows what "not yet translated" looks like. Safe to run again."""

from __future__ import annotations

from actions.models import Action
from bargaining.models import PublicPage
from demands.models import Demand

LANGUAGES = ["es", "hmn"]

DEMANDS = {
    "Class sizes no larger than 24 in TK-3": {
        "es": (
            "Grupos de no más de 24 alumnos de TK a 3.º",
            "Grupos más pequeños en los primeros grados, para que cada niño aprenda a leer.",
        ),
    },
    "Housing support for students without a home": {
        "es": (
            "Apoyo de vivienda para estudiantes sin hogar",
            "Enlaces de vivienda, transporte rápido y terrenos del distrito para viviendas "
            "familiares.",
        ),
    },
    "Restorative justice in place of suspensions": {
        "es": (
            "Justicia restaurativa en lugar de suspensiones",
            "Coordinadores de justicia restaurativa y ninguna suspensión por desafío.",
        ),
    },
    "Pay that keeps good teachers in Twin Rivers": {
        "es": (
            "Salarios que mantengan a los buenos maestros en Twin Rivers",
            "Salarios a la par de los distritos vecinos, para que los maestros se queden.",
        ),
    },
    "No cooperation with ICE on school grounds": {
        "es": (
            "Ninguna cooperación con ICE en las escuelas",
            "Las escuelas son lugares seguros para las familias inmigrantes.",
        ),
    },
    # A draft the Hmong parents' group started translating: the title only.
    "A nurse and a counselor in every school": {
        "hmn": ("Kws saib mob hauv txhua lub tsev kawm ntawv", ""),
    },
}

ACTIONS = {
    "Rally before school and walk in together: Del Paso and North Highlands": (
        "Mitin antes de clases y entrada juntos: Del Paso y North Highlands"
    ),
    "Packed school-board meeting: restorative justice, not suspensions": (
        "Llenemos la junta escolar: justicia restaurativa, no suspensiones"
    ),
    "Informational picket at the district office": "Piquete informativo en la oficina del distrito",
}

# Teachers and parents working together for our children.
STORY_HMN = "Cov xib fwb thiab cov niam txiv koom tes rau peb cov me nyuam."


def seed(context: dict) -> None:
    campaign, local, leader = context["campaign"], context["local"], context["leader"]
    local.content_languages = LANGUAGES
    local.save(update_fields=["content_languages"])
    for demand in Demand.objects.filter(campaign=campaign, title__in=DEMANDS):
        texts = {
            language: {"title": title, "summary": summary}
            for language, (title, summary) in DEMANDS[demand.title].items()
        }
        if demand.translated_i18n(texts) == (demand.i18n or {}):
            continue
        demand.edit_translations(texts=texts, by=leader, expected_version=demand.version)
        if demand.is_published:
            demand.publish(by=leader)
    for action in Action.objects.filter(campaign=campaign, title__in=ACTIONS):
        texts = {"es": {"title": ACTIONS[action.title]}}
        if (action.i18n or {}).get("title_es") != ACTIONS[action.title]:
            action.edit_translations(texts=texts, by=leader, expected_version=action.version)
    page = PublicPage.objects.get(campaign=campaign)
    if (page.i18n or {}).get("story_hmn") != STORY_HMN:
        page.i18n = {**(page.i18n or {}), "story_hmn": STORY_HMN}
        page.save_settings()
