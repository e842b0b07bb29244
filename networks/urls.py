"""URLs of the networks register. Shared by the helpers of issue 3: add your own lines, keep the others'."""

from django.urls import path, register_converter

from .views import charter as charter_views
from .views import export as export_views
from .views import imports as import_views
from .views import network as network_views
from .views import network_area as area_views
from .views import network_partner as partner_views
from .views import review as review_views
from .views import sanction as sanction_views


class NetworkCodeConverter:
    """A network's code in URLs: BIN-<REFNIS>-<n> (so it never clashes with fixed words like "import")."""

    regex = r"BIN-[0-9]{5}-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NetworkCodeConverter, "netcode")

app_name = "networks"

urlpatterns = [
    # N1: networks, areas, partners
    path("", network_views.network_list, name="network_list"),
    path("new/", network_views.network_create, name="network_create"),
    path("<netcode:code>/", network_views.network_detail, name="network_detail"),
    path("<netcode:code>/edit/", network_views.network_edit, name="network_edit"),
    path("<netcode:code>/status/", network_views.network_status, name="network_status"),
    path("<netcode:code>/area/", area_views.area_edit, name="area_edit"),
    path("<netcode:code>/area/streets/add/", area_views.area_street_add, name="area_street_add"),
    path("<netcode:code>/area/streets/<int:pk>/remove/", area_views.area_street_remove, name="area_street_remove"),
    path("<netcode:code>/area/streets/paste/", area_views.area_streets_paste, name="area_streets_paste"),
    path("<netcode:code>/area/streets/suggest/", area_views.area_street_suggestions, name="area_street_suggestions"),
    path("<netcode:code>/area/polygon/", area_views.area_polygon, name="area_polygon"),
    path("<netcode:code>/area.geojson", area_views.area_geojson, name="area_geojson"),
    path("<netcode:code>/partners/add/", partner_views.partner_add, name="partner_add"),
    path("<netcode:code>/partners/<int:pk>/edit/", partner_views.partner_edit, name="partner_edit"),
    path("<netcode:code>/partners/<int:pk>/end/", partner_views.partner_end, name="partner_end"),
    # N2: charters, ADVP reviews and letters, sanctions
    path("reviews/", review_views.review_queue_view, name="review_queue"),
    path("reviews/checklist/", review_views.checklist_list, name="checklist_list"),
    path("reviews/checklist/new/", review_views.checklist_item_create, name="checklist_item_create"),
    path("reviews/checklist/<int:pk>/", review_views.checklist_item_edit, name="checklist_item_edit"),
    path("sanctions/", sanction_views.sanction_national_list, name="sanction_national_list"),
    path("<netcode:code>/charters/new/", charter_views.charter_create_view, name="charter_create"),
    path("<netcode:code>/charters/<int:version>/", charter_views.charter_detail, name="charter_detail"),
    path("<netcode:code>/charters/<int:version>/plan/", charter_views.charter_plan, name="charter_plan"),
    path(
        "<netcode:code>/charters/<int:version>/contacts/",
        charter_views.charter_contacts_refresh,
        name="charter_contacts_refresh",
    ),
    path("<netcode:code>/charters/<int:version>/upload/", charter_views.charter_upload, name="charter_upload"),
    path("<netcode:code>/charters/<int:version>/signed.pdf", charter_views.charter_signed_pdf, name="charter_pdf"),
    path("<netcode:code>/charters/<int:version>/sign/", charter_views.charter_sign_view, name="charter_sign"),
    path("<netcode:code>/charters/<int:version>/submit/", charter_views.charter_submit_view, name="charter_submit"),
    path("<netcode:code>/charters/<int:version>/review/", review_views.charter_review_view, name="charter_review"),
    path("<netcode:code>/letters/<int:pk>/", charter_views.letter_download, name="letter_download"),
    path("<netcode:code>/sanctions/", sanction_views.network_sanctions, name="network_sanctions"),
    path("<netcode:code>/sanctions/new/", sanction_views.sanction_create_view, name="sanction_create"),
    path("<netcode:code>/sanctions/<int:pk>/appeal/", sanction_views.sanction_appeal_view, name="sanction_appeal"),
    # N3: export of the list, bulk import
    path("export/<str:file_format>/", export_views.network_export_view, name="network_export"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/template/<str:file_format>/", import_views.import_template_view, name="import_template"),
    path("import/<uuid:token>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:token>/commit/", import_views.import_commit, name="import_commit"),
    path("import/<uuid:token>/cancel/", import_views.import_cancel, name="import_cancel"),
]
