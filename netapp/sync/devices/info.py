"""This device's sync status, read from the database alone: what Settings and
``netapp sync devices`` show without loading the sync itself (pycrdt, anyio)."""

from __future__ import annotations

from typing import Any

from netapp.store import Store


def status(store: Store) -> dict[str, Any]:
    """This device, its folder, the other devices and when each was last seen."""
    me = store.devices.me()
    if me is None:
        return {"joined": False}
    return {
        "joined": True,
        "device": me.device,
        "name": me.name,
        "folder": me.folder,
        "last_sync": me.last_sync,
        "last_result": me.last_result,
        "pending_changes": int(store.db.scalar("SELECT count(*) FROM devices_outbox")),
        "devices": store.devices.peers(),
    }


def status_lines(info: dict[str, Any]) -> list[str]:
    if not info.get("joined"):
        return ["devices: not set up (netapp sync devices --folder PATH)"]
    lines = [
        f"this device: {info['name']} ({info['device']})",
        f"folder: {info['folder']}",
        f"last sync: {info['last_sync'] or 'never'}"
        + (f": {info['last_result']}" if info["last_result"] else ""),
        f"changes waiting to be sent: {info['pending_changes']}",
    ]
    for peer in info["devices"]:
        lines.append(f"device {peer['name']} ({peer['device']}): last seen {peer['last_seen']}")
    if not info["devices"]:
        lines.append("no other device seen yet")
    return lines
