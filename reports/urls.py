from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    *(
        pattern
        for slug in views.REPORTS
        for pattern in (
            path(f"{slug}/", views.report_page, {"slug": slug}, name=slug),
            path(f"{slug}/export.csv", views.report_csv, {"slug": slug}, name=f"{slug}_csv"),
        )
    ),
]
