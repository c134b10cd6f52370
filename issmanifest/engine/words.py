"""Wording shared by the engine's messages and the renderers.

Here, not in render/: the rules' findings name durations too, and the engine imports nothing from render/.
"""


def duration_text(seconds: int) -> str:
    """A duration for people: `3 days 4 h`, `2 h 5 min`, `1 min`."""
    minutes = seconds // 60
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' * (days != 1)}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min" if minutes else f"{seconds} s"
