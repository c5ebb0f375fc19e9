from django.urls import path

from .views import delivery, paper, petitions

app_name = "reach"

urlpatterns = [
    path("petitions/", petitions.petition_list, name="petitions"),
    path("<slug:slug>/petitions/new/", petitions.petition_create, name="petition_new"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition"),
    path("petitions/<int:pk>/edit/", petitions.petition_edit, name="petition_edit"),
    path("petitions/<int:pk>/publish/", petitions.petition_publish, name="petition_publish"),
    path("petitions/<int:pk>/paper/", paper.paper_sheet, name="paper"),
    path("petitions/<int:pk>/packet.pdf", delivery.packet_pdf_view, name="packet_pdf"),
    path("petitions/<int:pk>/packet.csv", delivery.packet_csv_view, name="packet_csv"),
    path("petitions/<int:pk>/delivery/", delivery.record_delivery, name="delivery"),
]
