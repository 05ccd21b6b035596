"""Recommendations became actions (``actions/migrations/0002_from_recommendations.py`` moved
every row, its history and the sent reminders): the old tables go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_list_filter_indexes"),
        ("actions", "0002_from_recommendations"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="agreement",
        ),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="area",
        ),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="history_user",
        ),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="owner",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="agreement",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="area",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="owner",
        ),
        migrations.DeleteModel(
            name="Reminder",
        ),
        migrations.DeleteModel(
            name="HistoricalRecommendation",
        ),
        migrations.DeleteModel(
            name="Recommendation",
        ),
    ]
