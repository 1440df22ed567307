"""Uploads over HTTP as the chat page makes them: announce, then chunks at the acknowledged offset."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import csrf

QUESTION = "supporting-documents"


class Uploader:
    def __init__(self, web: FlaskClient, conversation_id: str) -> None:
        self.web = web
        self.conversation_id = conversation_id
        self.token = csrf(web.get("/").text)

    def headers(self, **extra: str) -> dict[str, str]:
        return {"X-CSRFToken": self.token, **extra}

    def create(self, size: int, question_id: str = QUESTION) -> Any:
        body = {"conversation_id": self.conversation_id, "question_id": question_id, "size": size}
        return self.web.post("/uploads/", json=body, headers=self.headers())

    def patch(self, file_id: str, offset: int, chunk: bytes) -> Any:
        return self.web.patch(
            f"/uploads/{file_id}",
            data=chunk,
            headers=self.headers(**{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}),
        )

    def send(self, data: bytes, chunk_size: int = 64 * 1024) -> Any:
        """The whole file; the last answer."""
        created = self.create(len(data))
        assert created.status_code == 201, created.json
        file_id = created.json["id"]
        response = created
        for offset in range(0, len(data), chunk_size):
            response = self.patch(file_id, offset, data[offset : offset + chunk_size])
            if response.status_code != 200:
                return response
        return response
