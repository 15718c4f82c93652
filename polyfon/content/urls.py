from django.urls import path

from . import feeds
from .views import newsletter, office, public

app_name = "content"

urlpatterns = [
    # Public
    path("arbeidsomrader/", public.public_work_areas, name="public_work_areas"),
    path("arbeidsomrader/<slug:slug>/", public.work_area_page, name="work_area_page"),
    path("nyheter/", public.news_list, name="news_list"),
    path("nyheter/rss/", feeds.news_rss, name="news_rss"),
    path("nyheter/atom/", feeds.news_atom, name="news_atom"),
    path("nyheter/bilder/<int:pk>/", public.news_image, name="news_image"),
    path("nyheter/<slug:slug>/", public.news_detail, name="news_detail"),
    path("om-klyngen/", public.about, name="about"),
    path("nyhetsbrev/", newsletter.newsletter_subscribe, name="newsletter_subscribe"),
    path("nyhetsbrev/sjekk-e-posten/", newsletter.newsletter_pending, name="newsletter_pending"),
    path("nyhetsbrev/bekreft/<str:token>/", newsletter.newsletter_confirm, name="newsletter_confirm"),
    path("nyhetsbrev/avmeld/<str:token>/", newsletter.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("nyhetsbrev/utgaver/<int:pk>/", newsletter.newsletter_archive_issue, name="newsletter_archive_issue"),
    # The office: work areas and knowledge descriptions
    path("kontor/arbeidsomrader/", office.work_area_list, name="work_area_list"),
    path("kontor/arbeidsomrader/ny/", office.work_area_edit, name="work_area_create"),
    path("kontor/arbeidsomrader/<int:pk>/", office.work_area_edit, name="work_area_edit"),
    path("kontor/arbeidsomrader/<int:pk>/kunnskapsbeskrivelse/", office.knowledge_history, name="knowledge_history"),
    path("kontor/arbeidsomrader/<int:pk>/kunnskapsbeskrivelse/ny/", office.knowledge_create, name="knowledge_create"),
    path(
        "kontor/arbeidsomrader/<int:pk>/kunnskapsbeskrivelse/sammenlign/",
        office.knowledge_compare,
        name="knowledge_compare",
    ),
    path("kontor/kunnskapsbeskrivelser/<int:pk>/", office.knowledge_detail, name="knowledge_detail"),
    path("kontor/kunnskapsbeskrivelser/<int:pk>/<slug:move>/", office.knowledge_move, name="knowledge_move"),
    path("kontor/innhold/forhandsvisning/", office.markdown_preview, name="markdown_preview"),
    # The office: news
    path("kontor/nyheter/", office.news_office_list, name="news_office_list"),
    path("kontor/nyheter/ny/", office.news_create, name="news_create"),
    path("kontor/nyheter/<int:pk>/", office.news_edit, name="news_edit"),
    path("kontor/nyheter/<int:pk>/slett/", office.news_delete, name="news_delete"),
    path("kontor/nyheter/<int:pk>/<slug:move>/", office.news_move, name="news_move"),
    # The office: newsletter
    path("kontor/nyhetsbrev/", newsletter.issue_list, name="issue_list"),
    path("kontor/nyhetsbrev/ny/", newsletter.issue_create, name="issue_create"),
    path("kontor/nyhetsbrev/<int:pk>/", newsletter.issue_detail, name="issue_detail"),
    path("kontor/nyhetsbrev/<int:pk>/endre/", newsletter.issue_edit, name="issue_edit"),
    path("kontor/nyhetsbrev/<int:pk>/test/", newsletter.issue_send_test, name="issue_send_test"),
    path("kontor/nyhetsbrev/<int:pk>/<slug:move>/", newsletter.issue_move, name="issue_move"),
    path("kontor/abonnenter/", newsletter.subscriber_list, name="subscriber_list"),
    path("kontor/abonnenter/ny/", newsletter.subscriber_add, name="subscriber_add"),
    path("kontor/abonnenter/<int:pk>/", newsletter.subscriber_detail, name="subscriber_detail"),
    path("kontor/abonnenter/<int:pk>/slett/", newsletter.subscriber_delete, name="subscriber_delete"),
    path(
        "kontor/abonnenter/<int:pk>/avmeld/", newsletter.subscriber_unsubscribe_office, name="subscriber_unsubscribe"
    ),
]
