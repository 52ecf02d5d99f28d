"""Visit photos: images only (by content), size-limited, resized, EXIF (GPS) stripped,
served only to members of the county."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from jwp.roles import Role
from jwp.tenancy import county_context
from learning import services
from learning.models import VisitPhoto
from learning.photos import process_photo
from tests import factories

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(size=(3000, 2000), *, orientation=None, gps=True, name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    image.paste((20, 60, 200), (0, 0, size[0] // 3, size[1]))  # a blue left third
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (1.0, 5.0, 0.0), 3: "E", 4: (36.0, 40.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_large_photo_is_resized_to_1600_px_and_loses_its_exif_and_gps():
    upload = jpeg((3000, 2000))
    assert Image.open(BytesIO(upload.read())).getexif().get(GPS_IFD) is not None  # the control
    upload.seek(0)
    result = process_photo(upload)
    assert (result.width, result.height) == (1600, 1067)
    stored = Image.open(BytesIO(result.content.read()))
    assert stored.format == "JPEG" and stored.size == (1600, 1067)
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    # orientation 6: the camera was turned; the picture is shown rotated 90° clockwise
    result = process_photo(jpeg((3000, 2000), orientation=6))
    assert (result.width, result.height) == (1067, 1600)
    stored = Image.open(BytesIO(result.content.read())).convert("RGB")
    # the blue left third is now the top third
    assert stored.getpixel((530, 50))[2] > 150 and stored.getpixel((530, 1500))[2] < 100


def test_a_small_transparent_png_is_kept_at_its_size_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    result = process_photo(SimpleUploadedFile("x.png", buffer.getvalue()))
    stored = Image.open(BytesIO(result.content.read()))
    assert stored.size == (300, 200) and stored.format == "JPEG"
    assert stored.getpixel((10, 10)) == (255, 255, 255)


def test_a_text_file_renamed_jpg_is_rejected_with_a_clear_message():
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all " * 50, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        process_photo(fake)
    assert "not a JPEG, PNG or WebP photo" in exc.value.messages[0]


def test_a_real_image_of_another_kind_is_rejected():
    buffer = BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "GIF")
    with pytest.raises(ValidationError):
        process_photo(SimpleUploadedFile("anim.jpg", buffer.getvalue()))


@pytest.mark.parametrize("lenient_elsewhere", [False, True])
def test_a_truncated_jpeg_is_rejected(monkeypatch, lenient_elsewhere):
    # Importing WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient_elsewhere)
    data = jpeg((800, 600)).read()
    with pytest.raises(ValidationError):
        process_photo(SimpleUploadedFile("cut.jpg", data[: len(data) // 3]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient_elsewhere


def test_a_file_over_the_size_limit_is_rejected(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        process_photo(big)
    assert "the limit is 1 MB" in exc.value.messages[0]


def test_a_participant_uploads_through_the_page_and_the_file_is_the_clean_jpeg(
    client, county, make_member, membership_of
):
    visit = factories.MonitoringVisitFactory(county=county)
    user = make_member(county, Role.PARTNER)
    membership = membership_of(user, county)
    with county_context([county]):
        visit.organizations.through.objects.create(
            county=county, visit=visit, organization=membership.organization
        )
    client.force_login(user)
    url = reverse("learning:photo_add", args=[county.slug, visit.pk])
    response = client.post(url, {"image": jpeg(), "caption": "Water point"})
    assert response.status_code == 302
    with county_context([county]):
        photo = VisitPhoto.objects.for_county(county).get(visit=visit)
    assert photo.image.name.startswith(f"county/{county.pk}/visitphoto/")
    assert (photo.width, photo.height) == (1600, 1067)
    served = client.get(reverse("learning:photo", args=[county.slug, photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Image.open(BytesIO(b"".join(served.streaming_content))).size == (1600, 1067)


def test_a_fake_photo_through_the_page_shows_the_message_and_stores_nothing(
    client, county, secretariat
):
    visit = factories.MonitoringVisitFactory(county=county)
    client.force_login(secretariat)
    url = reverse("learning:photo_add", args=[county.slug, visit.pk])
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 executable", content_type="image/jpeg")
    response = client.post(url, {"image": fake}, follow=True)
    assert "not a JPEG, PNG or WebP photo" in response.content.decode()
    with county_context([county]):
        assert not VisitPhoto.objects.for_county(county).exists()


def test_who_may_add_photos(client, county, make_member):
    visit = factories.MonitoringVisitFactory(county=county)
    url = reverse("learning:photo_add", args=[county.slug, visit.pk])
    for role in (Role.OBSERVER, Role.PARTNER, Role.EXECUTIVE, Role.SECTOR_LEAD):
        client.force_login(make_member(county, role))  # none took part in the visit
        assert client.post(url, {"image": jpeg((100, 80))}).status_code == 403, role


def test_the_photo_file_is_404_for_the_neighbour_and_readable_by_an_observer(
    client, county, neighbour, make_member
):
    photo = factories.VisitPhotoFactory(county=county)
    url = reverse("learning:photo", args=[county.slug, photo.pk])
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    assert client.get(url).status_code == 404
    assert client.get(reverse("learning:photo", args=[neighbour.slug, photo.pk])).status_code == 404
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.get(url).status_code == 200


def test_removing_a_photo_deletes_its_file(
    county, secretariat, membership_of, django_capture_on_commit_callbacks
):
    sec = membership_of(secretariat, county)
    photo = factories.VisitPhotoFactory(county=county)
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with county_context([county]), django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(membership=sec, photo=photo)
    assert not storage.exists(name)
