"""OSDI resources as DRF serializers: people (members and supporters), events (actions and published
bargaining sessions), attendances (participations and RSVPs), petitions and signatures, with
their ``identifiers`` and HAL links."""

from .base import Resource, absolute
from .people import (
    AttendanceIn,
    EmailIn,
    EventSerializer,
    ParticipationSerializer,
    PersonIn,
    PersonSerializer,
    PhoneIn,
    RsvpSerializer,
    SignupIn,
)
from .petitions import (
    ConsentIn,
    PetitionSerializer,
    PostalIn,
    SignatureIn,
    SignatureSerializer,
    SignerIn,
)
from .sessions import SessionEventSerializer, session_uuid
from .supporters import SupporterSerializer

__all__ = [
    "AttendanceIn",
    "ConsentIn",
    "EmailIn",
    "EventSerializer",
    "ParticipationSerializer",
    "PersonIn",
    "PersonSerializer",
    "PetitionSerializer",
    "PhoneIn",
    "PostalIn",
    "Resource",
    "RsvpSerializer",
    "SessionEventSerializer",
    "SignatureIn",
    "SignatureSerializer",
    "SignerIn",
    "SignupIn",
    "SupporterSerializer",
    "absolute",
    "session_uuid",
]
