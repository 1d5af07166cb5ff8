# 取消预备党员资格 (党章 第七条) is its own member status, not 出党 (recruitment step 23).
# Chained after 0010_standing_period (merged from a parallel branch).

from django.db import migrations, models

STATUS_CHOICES = [
    ("normal", "正常"),
    ("mobile", "流动党员"),
    ("suspended", "停止党籍"),
    ("left", "出党"),
    ("deceased", "去世"),
    ("transferred_out", "转出系统外"),
    ("cancelled", "取消预备党员资格"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0010_standing_period"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmember",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="normal", max_length=20, verbose_name="党籍状态"),
        ),
        migrations.AlterField(
            model_name="member",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="normal", max_length=20, verbose_name="党籍状态"),
        ),
    ]
