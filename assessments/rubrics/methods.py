"""The names of the scoring methods (constants only, so models of any subject can name them; scoring.py scores)."""

RATE, DEDUCTION, BONUS, VETO, MANUAL = "rate", "deduction", "bonus", "veto", "manual"
METHODS = (RATE, DEDUCTION, BONUS, VETO, MANUAL)
METHOD_LABELS = {RATE: "按完成率", DEDUCTION: "按次扣分", BONUS: "加分项(封顶)", VETO: "一票否决", MANUAL: "人工评分"}
METHOD_CHOICES = [(m, METHOD_LABELS[m]) for m in METHODS]
