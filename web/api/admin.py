"""Administration: accounts and break-glass access. Admins read no PHI here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor, require_role
from core.audit import RequestOrigin
from core.break_glass import MAX_MINUTES, grant_break_glass
from core.enums import Role
from core.infra.runtime import Runtime
from core.users import (
    NewUser,
    account,
    create_user,
    deactivate_user,
    list_accounts,
)


class UserView(BaseModel):
    id: UUID
    role: Role
    full_name: str
    email: str
    handle: str
    active: bool
    created_at: datetime


class NewUserBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    full_name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)
    handle: str = Field(max_length=63)
    password: str | None = Field(default=None, min_length=10, max_length=200)
    dob: date | None = None
    phone: str | None = Field(default=None, max_length=40)
    license: str | None = Field(default=None, max_length=100)
    therapist_id: UUID | None = Field(default=None, description="Primary therapist (patients)")


class BreakGlassBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: UUID
    reason: str = Field(max_length=2000)
    minutes: int = Field(default=30, ge=1, le=MAX_MINUTES)


class BreakGlassGranted(BaseModel):
    patient_id: UUID
    expires_at: datetime


class AdminController(Controller):
    path = "/admin"
    tags = ["administration"]

    @get("/users", summary="Accounts (admins only)")
    async def list_users(
        self,
        actor: NamedDependency[Actor],
        role: FromQuery[Role | None] = None,
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[UserView]:
        rows = await list_accounts(actor, role=role, page=page, per_page=per_page)
        return [UserView(**row) for row in rows]

    @post("/users", status_code=HTTP_201_CREATED, summary="Create an account (admins only)")
    async def create(
        self,
        data: JSONBody[NewUserBody],
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
    ) -> UserView:
        require_role(actor, Role.admin)
        fields = data.model_dump(exclude={"therapist_id"})
        user_id = await create_user(NewUser(**fields), therapist_id=data.therapist_id)
        if data.therapist_id is not None:  # the new patient shows on their pages at once
            await runtime.events.mark_changed(data.therapist_id)
        return UserView(**await account(user_id))

    @post(
        "/users/{user_id:uuid}/deactivate",
        status_code=200,
        summary="Deactivate an account (admins only)",
    )
    async def deactivate(
        self,
        user_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
    ) -> UserView:
        return UserView(**await deactivate_user(actor, user_id, runtime.events))

    @post(
        "/break-glass",
        status_code=HTTP_201_CREATED,
        summary="Time-limited, audited access to one patient",
    )
    async def break_glass(
        self,
        data: JSONBody[BreakGlassBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> BreakGlassGranted:
        expires_at = await grant_break_glass(
            actor, data.patient_id, data.reason, data.minutes, origin
        )
        return BreakGlassGranted(patient_id=data.patient_id, expires_at=expires_at)
