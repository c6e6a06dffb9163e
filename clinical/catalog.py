"""The vital-sign catalog: LOINC code, UCUM unit, plausible range and normal range per code."""

from dataclasses import asdict, dataclass
from decimal import Decimal


@dataclass(frozen=True)
class VitalSign:
    """One code of the catalog; `normal_*` are None where the code has no normal range."""

    code: str
    loinc: str
    display: str
    unit: str
    plausible_low: Decimal
    plausible_high: Decimal
    normal_low: Decimal | None = None
    normal_high: Decimal | None = None

    def interpret(self, value: Decimal) -> str | None:
        if self.normal_low is None:
            return None
        if value < self.normal_low:
            return "low"
        return "high" if value > self.normal_high else "normal"

    def as_dict(self) -> dict:
        return asdict(self)


D = Decimal
CATALOG = {
    sign.code: sign
    for sign in (
        VitalSign("heart_rate", "8867-4", "Heart rate", "/min", D(20), D(300), D(60), D(100)),
        VitalSign("respiratory_rate", "9279-1", "Respiratory rate", "/min", D(4), D(80), D(12), D(20)),
        VitalSign("systolic_bp", "8480-6", "Systolic blood pressure", "mm[Hg]", D(40), D(300),
                  D(90), D(120)),
        VitalSign("diastolic_bp", "8462-4", "Diastolic blood pressure", "mm[Hg]", D(20), D(200),
                  D(60), D(80)),
        VitalSign("body_temperature", "8310-5", "Body temperature", "Cel", D(25), D(45),
                  D("36.1"), D("37.2")),
        VitalSign("oxygen_saturation", "59408-5", "Oxygen saturation", "%", D(50), D(100),
                  D(95), D(100)),
        VitalSign("body_weight", "29463-7", "Body weight", "kg", D("0.2"), D(500)),
        VitalSign("body_height", "8302-2", "Body height", "cm", D(20), D(260)),
    )
}
CODES = tuple(CATALOG)
