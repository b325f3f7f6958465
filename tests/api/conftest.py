import pytest
from django.core.files.uploadedfile import UploadedFile

from dangvu.organizations.models import OrganizationType as T
from tests.conftest import establish


@pytest.fixture
def api_tree(tree, system):
    """The shared tree plus a second grassroots committee in the bloc (somewhere to move to)."""
    edu = establish(
        system, "BD.GD", "Đảng bộ Sở Giáo dục và Đào tạo", T.GRASSROOTS_COMMITTEE, tree["bloc"]
    )
    return {**tree, "edu": edu}


@pytest.fixture
def post_json():
    def post(client, url, body, **extra):
        if isinstance(body, dict) and any(isinstance(v, UploadedFile) for v in body.values()):
            for value in body.values():  # an upload (POST /api/imports) goes as multipart
                if isinstance(value, UploadedFile):
                    value.seek(0)
            return client.post(url, data=body, **extra)
        return client.post(url, data=body, content_type="application/json", **extra)

    return post
