"""python manage.py seed_demo [--scale N] [--seed S] [--today YYYY-MM-DD] [--reset]"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import seed as demo


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{value}") from error


class Command(BaseCommand):
    help = (
        "生成演示数据:区国资委党委下14家企业、322个党组织(21个党委、15个党总支、286个党支部)、4179名党员"
        "(见种子文档003),--scale N 按 N 倍生成(15 约为一个省)。同样的 --seed 和 --today 生成完全相同的数据。"
        "已有演示数据(根组织编码 SASAC)时跳过,--reset 删除后重建。数据用 bulk_create 批量写入,"
        "不产生 simple_history 历史记录(审计历史从第一次真实修改开始)。另生成本年度1月1日至今天的会议(含议题、出席)、"
        "谈心谈话、民主评议和党费记录,约70%支部达标、20%有缺项、8%薄弱。演示账号密码均为 demo12345。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="规模倍数(1 = 一个区,15 ≈ 一个省)")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子(默认 2026)")
        parser.add_argument("--today", type=_date, default=None, help="以哪一天为“今天”计算届期(默认今天)")
        parser.add_argument("--reset", action="store_true", help="删除已有演示数据后重新生成")
        parser.add_argument(
            "--no-recruitment", action="store_true", help="不生成发展党员演示数据(它会召开自己的支部大会)"
        )
        parser.add_argument(
            "--no-records",
            action="store_true",
            help="只生成组织、党员、届次和账号,不生成本年度会议、谈话、评议和党费记录",
        )

    def handle(self, *args, scale, seed, today, reset, no_records, no_recruitment, **options):
        if scale < 1:
            raise CommandError("--scale 至少为 1。")
        today = today or timezone.localdate()
        summary = demo.seed_demo(
            scale=scale,
            seed=seed,
            today=today,
            reset=reset,
            records=not no_records,
            recruitment=not (no_records or no_recruitment),
        )
        if summary["skipped"]:
            self.stdout.write(self.style.WARNING("演示数据已存在,跳过;使用 --reset 重新生成"))
        else:
            counts = summary["counts"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已生成(规模 {scale},种子 {seed},今天 {today:%Y-%m-%d}),用时 {summary['elapsed']:.1f} 秒"
                )
            )
            self.stdout.write(
                f"  企业 {summary['enterprises']} 家;党组织 {sum(counts.values()) - counts['group']} 个:"
                f"党委 {counts['committee']}、党总支 {counts['general_branch']}、党支部 {counts['branch']}"
                f"(另有党小组 {counts['group']} 个)"
            )
            self.stdout.write(
                f"  党员 {summary['members']} 名;组织关系记录 {summary['memberships']} 条;"
                f"委员会届次 {summary['terms']} 个,委员职务 {summary['positions']} 个"
            )
            self._print_records(summary)
            if summary.get("recruitment"):
                pipeline = summary["recruitment"]
                self.stdout.write(f"  发展党员 {pipeline.people} 人(其中 {pipeline.overdue} 人有超期步骤)")
        self._print_logins(summary["logins"])

    def _print_records(self, summary):
        records, tiers = summary["records"], summary["tiers"]
        if not records:
            return
        self.stdout.write(
            f"  本年度记录(至 {summary['today']:%Y-%m-%d}):会议 {records['meetings']} 次"
            f"(已召开/归档 {records['held']}、计划 {records['planned']}),议题 {records['agenda_items']} 条,"
            f"出席记录 {records['attendance']} 条"
        )
        self.stdout.write(
            f"  谈心谈话 {records['talks']} 次(谈话对象 {records['talk_participants']} 人次),"
            f"民主评议 {records['reviews']} 人,党费记录 {records['dues']} 条;用时 {records['seconds']:.1f} 秒"
        )
        if letters := summary.get("letters"):
            self.stdout.write(
                f"  {letters['year']}年度党建工作责任书 {letters['letters']} 份(条目 {letters['items']} 条)"
            )
        weak = summary["weak_branches"]
        self.stdout.write(
            f"  支部分布:达标 {tiers['compliant']}、有缺项 {tiers['partial']}、薄弱 {tiers['weak']}"
            + (f"(薄弱支部如 {'、'.join(weak[:3])})" if weak else "")
        )

    def _print_logins(self, rows):
        if not rows:
            return
        header = ("用户名", "角色", "组织", "密码")
        self.stdout.write("")
        self.stdout.write("演示账号:")
        self.stdout.write("  " + " | ".join(header))
        for row in rows:
            self.stdout.write("  " + " | ".join(row))
