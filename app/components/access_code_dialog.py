"""The dialog that shows a freshly generated access code once, with its printable instruction sheet."""

from __future__ import annotations

import reflex as rx

from app.components.setup_notes import local_links_note
from app.state.workspace_tabs import WorkspaceAccessState as PatientWorkspaceState


def instruction_sheet() -> rx.Component:
    """What the patient takes home. Printed on its own (see assets/print.css)."""
    code = PatientWorkspaceState.generated
    return rx.box(
        rx.vstack(
            rx.heading(code["office_name"], size="6", as_="h2"),
            rx.text("Your patient portal access code", size="4", weight="medium"),
            rx.text("For ", rx.text.strong(code["patient_name"])),
            rx.hstack(
                rx.image(
                    src=code["qr"],
                    alt="QR code that opens the portal's redemption page with this code filled in",
                    width="160px",
                    height="160px",
                    id="access-code-qr",
                ),
                rx.vstack(
                    rx.text("Access code", size="2", color_scheme="gray"),
                    rx.code(code["words"], size="6", variant="ghost", weight="bold", id="access-code-words"),
                    rx.text("Valid until ", code["expires"], ", once.", size="2", color_scheme="gray"),
                    spacing="1",
                ),
                spacing="5",
                align="center",
                wrap="wrap",
            ),
            rx.el.ol(
                rx.el.li("Scan the QR code with your phone's camera, or open ", rx.text.strong(code["portal_url"])),
                rx.el.li("Sign in to your portal account, or create one (choose Patient)."),
                rx.el.li("Enter the four words above, then choose Unlock record."),
                style={"padding_left": "1.25em", "line_height": "1.7"},
            ),
            rx.text(
                "Keep this code private: anyone who has it can see these records. One account can hold your "
                "whole family's records: ask for a code for each person.",
                size="1",
                color_scheme="gray",
            ),
            spacing="3",
        ),
        class_name="print-sheet",
        border=f"1px dashed {rx.color('gray', 7)}",
        border_radius="var(--radius-3)",
        padding="var(--space-4)",
    )


def access_code_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Access code for ", PatientWorkspaceState.generated["patient_name"]),
            rx.dialog.description(
                "Read it out or print the instructions now: the code is shown only once. It works once, within 5 days.",
                size="2",
                color_scheme="gray",
            ),
            rx.vstack(
                local_links_note(PatientWorkspaceState.links_local),
                instruction_sheet(),
                rx.flex(
                    rx.button(
                        rx.icon("printer", size=16),
                        "Print instructions",
                        variant="soft",
                        # A compiled function `() => window.print()`: call_script would eval a string (CSP).
                        on_click=rx.run_script("window.print()"),
                    ),
                    rx.dialog.close(rx.button("Done")),
                    justify="end",
                    spacing="3",
                    width="100%",
                ),
                spacing="4",
                margin_top="var(--space-4)",
            ),
            max_width="600px",
        ),
        open=PatientWorkspaceState.code_dialog_open,
        on_open_change=PatientWorkspaceState.set_code_dialog_open,
    )
