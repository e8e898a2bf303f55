import httpx

from core.enums import Role
from core.tables import ExportTemplate
from tests.factories import make_user
from tests.web.test_api_exports import bearer

GOOD = '{% extends "base.html" %}{% block body %}<h1>{{ patient.full_name }}</h1>{% endblock %}'


async def test_templates_are_checked_on_save_and_private_to_their_author(
    client: httpx.AsyncClient, db: None
) -> None:
    auth = await bearer(await make_user(Role.therapist))
    other = await bearer(await make_user(Role.therapist))
    body = {"name": "Short", "export_type": "progress_report", "template_content": GOOD}
    broken = await client.post(
        "/api/v1/export/templates",
        json={**body, "template_content": "<p>\n{% for x in %}\n</p>"},
        headers=auth,
    )
    assert broken.status_code == 422 and broken.json()["detail"].startswith("line 2: ")
    assert await ExportTemplate.count() == 0
    created = await client.post("/api/v1/export/templates", json=body, headers=auth)
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    url = f"/api/v1/export/templates/{template_id}"
    assert (await client.patch(url, json={"name": "Mine now"}, headers=other)).status_code == 404
    assert (await client.delete(url, headers=other)).status_code == 404
    assert [
        t["name"] for t in (await client.get("/api/v1/export/templates", headers=other)).json()
    ] == []
    renamed = await client.patch(url, json={"name": "Shorter"}, headers=auth)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Shorter"
    assert (await client.delete(url, headers=auth)).status_code == 204


async def test_system_templates_are_read_only(client: httpx.AsyncClient, db: None) -> None:
    system = ExportTemplate(
        name="House style", export_type="full_record", format="pdf", is_system=True
    )
    await system.save()
    auth = await bearer(await make_user(Role.therapist))
    listed = await client.get("/api/v1/export/templates", headers=auth)
    assert [t["name"] for t in listed.json()] == ["House style"]
    response = await client.patch(
        f"/api/v1/export/templates/{system.id}", json={"name": "x"}, headers=auth
    )
    assert (
        response.status_code == 403
        and response.json()["detail"] == "system templates are read-only"
    )
