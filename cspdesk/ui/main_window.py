"""The main window: the plan tree, its filter, the detail pane, menus and undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from cspdesk import APP_DISPLAY_NAME, WORKSPACE_SUFFIX
from cspdesk.core.plan.model import child_level
from cspdesk.core.plan.words import count
from cspdesk.errors import CspdeskError
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.ui.catch_up import Editing
from cspdesk.ui.catch_up import describe as describe_outside_change
from cspdesk.ui.columns import fit_columns
from cspdesk.ui.delegates import RagDelegate
from cspdesk.ui.detail_pane import DetailPane
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.empty_hint import EmptyPlanHint
from cspdesk.ui.features import FeatureMenus
from cspdesk.ui.file_notice import FileNotice
from cspdesk.ui.filter_bar import FilterBar
from cspdesk.ui.live import LiveView
from cspdesk.ui.live_status import LiveStatus
from cspdesk.ui.mnemonics import literal
from cspdesk.ui.plan_model import KIND_LABELS, Column, plan_of
from cspdesk.ui.recent import RecentFiles
from cspdesk.ui.screen_fit import GUESSED_FRAME, available_area, keep_windows_on_screen
from cspdesk.ui.tree_place import TreePlace
from cspdesk.ui.undo_keys import PlanUndoKeys

if TYPE_CHECKING:
    from cspdesk.store.autobackup import BackupKeeper
    from cspdesk.store.live import Notice

NEW_TITLES = {
    "plan": "New plan",
    "priority": "New priority",
    "objective": "New objective",
    "action": "New action",
    "milestone": "New milestone",
}
MANY_MATCHES = 500
# The direction column is a hint worked out in the background: start it once the window shows.
DIRECTIONS_DELAY_MS = 300
OUTSIDE_CHANGE_POLL_MS = 2000
# A shared plan whose live notices arrive needs the poll only for writers that send none.
LIVE_FALLBACK_POLL_MS = 30_000
# A shared plan's server unreachable: each look may wait for the connect timeout, so look less
# often (doubling) until it answers again.
UNREACHABLE_POLL_LONGEST_MS = 120_000
WORKSPACE_FILTER = f"cspdesk workspaces (*{WORKSPACE_SUFFIX});;All files (*)"


class MainWindow(QMainWindow):
    backup_failed = Signal(str)

    def __init__(self, workspace: Workspace, *, read_only_reason: str | None = None) -> None:
        super().__init__()
        keep_windows_on_screen()
        self.settings = QSettings()
        self.recent = RecentFiles(self.settings)
        self.document: PlanDocument | None = None
        self.tree = QTreeView()
        self.tree.setObjectName("planTree")
        self.tree.setAccessibleName("Plan tree")
        self.tree.setUniformRowHeights(True)  # lets the view skip measuring 50,000 rows
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )  # not a click on the selected row: the next key (Ctrl+Ins...) would go to an editor
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.empty_hint = EmptyPlanHint(self.tree)
        self.empty_hint.import_requested.connect(
            lambda: self.features and self.features.import_plan()
        )
        self.empty_hint.add_requested.connect(self.start_plan_by_hand)
        self._pending_insert: tuple[str, int] | None = None
        self._place: TreePlace | None = None
        self._settings_dialog: QWidget | None = None
        self._shown_once = False
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self._apply_filter)
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#FFF4CE;color:#3B2F00;padding:6px;border-bottom:1px solid #E0C060;"
        )
        self.banner.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.tree)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.detail: DetailPane | None = None
        self.setCentralWidget(self.splitter)
        self._pane_timer = QTimer(self)
        self._pane_timer.setSingleShot(True)
        self._pane_timer.setInterval(600)
        self._pane_timer.timeout.connect(self._refresh_after_edits)
        self._build_actions()
        self.keeper: BackupKeeper | None = None
        self.backup_failed.connect(
            lambda message: self.statusBar().showMessage(f"Backup failed: {message}", 15000)
        )
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._backup_tick)
        self._backup_timer.start()
        # A change made under our feet (a colleague on a shared plan, the holder of a plan we
        # only read, a command-line write): reload rather than show or undo over stale data.
        self._outside_timer = QTimer(self)
        self._outside_timer.setInterval(OUTSIDE_CHANGE_POLL_MS)
        self._outside_timer.timeout.connect(self.reload_if_changed_elsewhere)
        self._outside_timer.start()
        # A shared plan: colleagues' changes as they commit, and who else has it open.
        self.live: LiveView | None = None
        self.live_status: LiveStatus | None = None  # server away, changes not saved (issue 31)
        self.presence_label = QLabel()
        self.presence_label.setObjectName("presenceLabel")
        self.presence_label.setAccessibleName("Who else has the plan open")
        self.statusBar().addPermanentWidget(self.presence_label)
        self.file_notice = FileNotice(self)  # "Saved: …  [Open] [Show in folder]"
        app = QApplication.instance()
        if isinstance(app, QApplication):  # an edit ended somewhere: show what waited for it
            app.focusChanged.connect(self._focus_moved)
        self.features: FeatureMenus | None = None
        self.set_workspace(workspace, read_only_reason=read_only_reason)
        self.features = FeatureMenus(self)
        self._restore_state()
        self._undo_keys = PlanUndoKeys(self)

    # ---- workspace ----

    def set_workspace(self, workspace: Workspace, *, read_only_reason: str | None = None) -> None:
        old = self.document
        self.document = document = PlanDocument(workspace)
        document.error.connect(self._show_error)
        document.setParent(self)
        self.tree.setModel(document.model)
        self._place = TreePlace(self.tree, document.model)
        for signal in (document.model.modelReset, document.model.rowsInserted):
            signal.connect(self.empty_hint.update_shown)
        document.model.rowsRemoved.connect(self.empty_hint.update_shown)
        self.empty_hint.update_shown()
        delegate = RagDelegate(lambda: document.rag_style, self.tree)
        delegate.closeEditor.connect(self._editor_closed)
        self.tree.setItemDelegate(delegate)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        detail = DetailPane(document)
        sizes = self.splitter.sizes() if self.detail is not None else []
        if self.detail is not None:
            self.detail.setParent(None)
            self.detail.deleteLater()
        self.detail = detail
        self.splitter.addWidget(detail)
        if len(sizes) == 2 and all(sizes):
            self.splitter.setSizes(sizes)  # as the user left it, not reset for the new pane
        self.undo_action_slot(document)
        self.filter_bar.populate(workspace, document.rag_style)
        self.tree.expandToDepth(1)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.fit_columns()
        reason = read_only_reason or ("opened read-only" if workspace.read_only else None)
        sentence = (reason or "").rstrip(". ")
        self.banner.setText(f"Read-only: {sentence}. Changes cannot be saved." if reason else "")
        self.banner.setVisible(bool(reason))
        self.recent.add(workspace.path)
        self._rebuild_recent_menu()
        self._update_title()
        if self.features is not None:
            self.features.workspace_changed()
        document.changed.connect(self._schedule_pane_refresh)
        document.directions_ready.connect(lambda _found: self._directions_shown())
        QTimer.singleShot(DIRECTIONS_DELAY_MS, document.refresh_directions)
        self._start_backups(workspace)
        document.editing = self._editing_now
        self._start_live(workspace)
        workspace.changed_elsewhere()  # note the plan as loaded; the poll compares with it
        if old is not None:
            old.workspace.close()
            old.deleteLater()

    def fit_columns(self) -> None:
        """Columns to their content, the title to the room left (measured once on screen)."""
        if self.document is None:
            return
        room = self.tree.viewport().width() if self.isVisible() else 0
        if room < 200:  # not laid out yet: the tree's share of the default window
            room = self.splitter.sizes()[0] if self.splitter.sizes()[0] > 200 else 840
        fit_columns(self.tree, self.document.model, room)

    def _directions_shown(self) -> None:
        hidden = self.document is not None and self.tree.isColumnHidden(Column.DIRECTION)
        if hidden and any(n.direction for n in self.document.model.index_by_key.values()):  # type: ignore[union-attr]
            self.tree.setColumnHidden(Column.DIRECTION, False)
            self.tree.resizeColumnToContents(Column.DIRECTION)
        self.tree.viewport().update()

    def reload_if_changed_elsewhere(self) -> bool:
        document = self.document
        if document is None or not self.isVisible():
            return False
        if self.live is not None:
            self.live.drain()  # a notice already here shows the change item by item
        try:
            changed = document.workspace.changed_elsewhere()
        except (CspdeskError, DBAPIError):
            # Unreachable for now: the next edit says so; the poll backs off meanwhile.
            longer = min(self._outside_timer.interval() * 2, UNREACHABLE_POLL_LONGEST_MS)
            self._outside_timer.setInterval(longer)
            return False
        self._outside_timer.setInterval(self._poll_interval())
        if not changed:
            return False
        try:
            # Undo is cleared as the reload happens (it could overwrite the newer change).
            document.catch_up(None, clear_undo=True)
        except (CspdeskError, DBAPIError):
            return False  # gone again in between: the next poll catches up
        self._schedule_pane_refresh()
        self.statusBar().showMessage(
            "The plan was changed elsewhere and will be reloaded when you finish editing."
            if document.outside.waiting
            else "The plan was changed elsewhere and has been reloaded (undo history cleared).",
            10000,
        )
        return True

    # ---- the live view of a shared plan ----

    def _start_live(self, workspace: Workspace) -> None:
        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None
        if self.live_status is not None:
            self.live_status.stop()
            self.live_status = None
        self._show_presence([])
        self._outside_timer.setInterval(OUTSIDE_CHANGE_POLL_MS)
        if not workspace.is_shared:
            return
        self.live = LiveView(workspace, self)
        if self.document is not None:
            self.live_status = LiveStatus(self.live, self.document, self.statusBar())
        self.live.notice.connect(self._outside_notice)
        self.live.presence.connect(self._show_presence)
        self.live.live_changed.connect(self._live_changed)
        self._show_presence(self.live.others)  # as found while connecting
        if self.live.listening:
            self._live_changed(True)

    def _poll_interval(self) -> int:
        """How often to look for changes made elsewhere: rarely while notices arrive."""
        listening = self.live is not None and self.live.listening
        return LIVE_FALLBACK_POLL_MS if listening else OUTSIDE_CHANGE_POLL_MS

    def _live_changed(self, listening: bool) -> None:
        self._outside_timer.setInterval(self._poll_interval())
        if listening:
            QTimer.singleShot(0, self.reload_if_changed_elsewhere)  # missed while away?

    def _outside_notice(self, notice: Notice) -> None:
        document = self.document
        if document is None:
            return
        try:
            document.catch_up(notice.keys, clear_undo=True)
            document.workspace.changed_elsewhere()  # seen: the poll must not reload for it
        except (CspdeskError, DBAPIError):
            return  # the server is away for a moment: the poll catches up later
        self._schedule_pane_refresh()
        if notice.keys is not None:
            said = describe_outside_change(notice.who, notice.keys, document.outside.deleted)
        elif document.outside.waiting:
            said = f"{notice.who} changed the plan; it will be reloaded when you finish editing."
        else:
            said = f"{notice.who} changed the plan: reloaded (undo history cleared)."
        self.statusBar().showMessage(said, 10000)

    def _show_presence(self, others: list[str]) -> None:
        self.presence_label.setText(f"Also open: {', '.join(others)}" if others else "")
        self.presence_label.setVisible(bool(others))

    def _focus_moved(self, *_widgets: object) -> None:
        if self.document is not None and self.document.outside.waiting:
            QTimer.singleShot(0, self.document.catch_up_waiting)

    def _editing_now(self) -> Editing:
        delegate = self.tree.itemDelegate()
        index = delegate.editing if isinstance(delegate, RagDelegate) else None
        key = None
        if index is not None and index.isValid() and self.document is not None:
            key = self.document.model.node(index).key
        return Editing(key)

    def _refresh_after_edits(self) -> None:
        if self.features is not None:
            self.features.refresh_panes()
        if self.document is not None:
            self.document.refresh_directions()

    def _schedule_pane_refresh(self, _change: object = None) -> None:
        # Panes (checker, dashboard...) recompute over the whole plan: not on every keystroke.
        self._pane_timer.start()

    def _update_title(self) -> None:
        if self.document is None:
            return
        location = self.document.workspace.location
        name = location.name
        if isinstance(location, ServerAddress) and location.host:
            name = f"{name} on {location.host}"  # two servers may hold a "cspdesk" database
        suffix = " [read-only]" if self.document.read_only else ""
        self.setWindowTitle(f"{name}{suffix} – {APP_DISPLAY_NAME}")

    # ---- actions and menus ----

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_action = self._action("&New workspace…", self.new_workspace, std.New)
        self.open_action = self._action("&Open…", self.open_workspace, std.Open)
        self.recent_menu = QMenu("Open &recent", self)
        self.connect_action = self._action(
            "&Connect to shared plan…",
            self.connect_to_shared_plan,
            tip="Open a plan kept on your partnership's PostgreSQL server",
        )
        self.backup_action = self._action(
            "&Backup now", self.backup_now, tip="Save a checked copy in the backups folder"
        )
        self.quit_action = self._action("&Quit", self.close, std.Quit)
        self.add_sibling_action = self._action(
            "Add &item", self.add_sibling, "Ins", tip="Add an item after the selected one"
        )
        self.add_child_action = self._action(
            "Add &child", self.add_child, "Ctrl+Ins", tip="Add an item under the selected one"
        )
        self.delete_action = self._action("&Delete", self.delete_selected, std.Delete)
        self.move_up_action = self._action("Move &up", lambda: self.move_selected(-1), "Ctrl+Up")
        self.move_down_action = self._action(
            "Move do&wn", lambda: self.move_selected(+1), "Ctrl+Down"
        )
        self.leads_action = self._action("Edit &leads…", self.edit_leads, "Ctrl+L")
        self.rename_action = self._action("&Edit cell", self.rename_selected, "F2")
        self.rag_action = self._action(
            "Set R&AG…",
            lambda: self.edit_column(Column.RAG),
            "Ctrl+R",
            tip="Choose the selected action's agreed RAG, or a milestone's, from the list",
        )
        self.due_action = self._action(
            "Edit &timescale / due",
            lambda: self.edit_column(Column.TIMESCALE),
            "Ctrl+D",
            tip="Type an action's timescale, or a milestone's due date (15/12/2016)",
        )
        self.find_action = self._action("&Filter…", self.filter_bar.text.setFocus, std.Find)
        self.expand_action = self._action("&Expand all", self.tree.expandAll)
        self.collapse_action = self._action("&Collapse all", self.tree.collapseAll)
        for action in (
            self.add_sibling_action,
            self.add_child_action,
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
            self.leads_action,
            self.rag_action,
            self.due_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.connect_action)
        file_menu.addSeparator()
        self.file_io_separator = file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                "Workspace &settings…",
                self.workspace_settings,
                tip="Partnership, RAG scheme, agencies and officers",
            )
        )
        file_menu.addAction(self.backup_action)
        self.quit_separator = file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        self.edit_menu = menu.addMenu("&Edit")
        self.view_menu = menu.addMenu("&View")
        self.view_menu.addActions([self.find_action, self.expand_action, self.collapse_action])
        self.quarter_menu = menu.addMenu("&Quarter")
        self.quarter_menu.menuAction().setVisible(False)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(
            self._action(
                "&Guide to your year",
                self.open_help,
                QKeySequence.StandardKey.HelpContents,
                tip="A short guide, opened in your web browser",
            )
        )
        help_menu.addAction(self._action("&About cspdesk", self.about))

    def undo_action_slot(self, document: PlanDocument) -> None:
        """(Re)build the Edit menu around this document's undo stack."""
        self.edit_menu.clear()
        undo = document.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = document.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.undo_action, self.redo_action = undo, redo
        self.edit_menu.addActions([undo, redo])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions(
            [
                self.rename_action,
                self.rag_action,
                self.due_action,
                self.add_sibling_action,
                self.add_child_action,
                self.delete_action,
                self.move_up_action,
                self.move_down_action,
                self.leads_action,
            ]
        )

    def _context_menu(self, position: object) -> None:
        menu = QMenu(self)
        menu.addActions(
            [
                self.rename_action,
                self.rag_action,
                self.due_action,
                self.add_sibling_action,
                self.add_child_action,
                self.leads_action,
            ]
        )
        menu.addSeparator()
        menu.addActions([self.move_up_action, self.move_down_action, self.delete_action])
        menu.exec(self.tree.viewport().mapToGlobal(position))  # type: ignore[arg-type]

    # ---- the selected items ----

    def selected_keys(self) -> list[tuple[str, int]]:
        assert self.document is not None
        model = self.document.model
        rows = self.tree.selectionModel().selectedRows(0)
        return [model.node(index).key for index in rows]

    def current_key(self) -> tuple[str, int] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        assert self.document is not None
        return self.document.model.node(index).key

    def select(self, key: tuple[str, int]) -> None:
        assert self.document is not None
        index = self.document.model.find(*key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.detail is not None and self.document is not None:
            self.detail.show_item(
                self.document.model.node(current).key if current.isValid() else None
            )
        key = self.current_key()
        kind = key[0] if key else None
        self._follow_plan(current)
        self.leads_action.setEnabled(kind == "action")
        self.add_child_action.setEnabled(kind is not None and child_level(kind) is not None)

    def _follow_plan(self, current: QModelIndex) -> None:
        """Another plan selected: the as-at heading and the panes (checker...) follow it."""
        if self.document is None or not current.isValid():
            return
        model = self.document.model
        plan = plan_of(model.node(current))
        if plan is not None and plan != model.shown_plan:
            model.shown_plan = plan
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, Column.TITLE, Column.TITLE)
            self._schedule_pane_refresh()

    # ---- edits ----

    def add_sibling(self) -> None:
        assert self.document is not None
        key = self.current_key()
        if key is None:
            self._add("plan", None, None)
            return
        node = self.document.model.index_by_key[key]
        parent = node.parent
        parent_id = None if parent is None or parent.kind == "root" else parent.id
        position = parent.children.index(node) + 1 if parent is not None else None
        self._add(node.kind, parent_id, position)

    def add_child(self) -> None:
        key = self.current_key()
        if key is None or child_level(key[0]) is None:
            return
        self._add(child_level(key[0]), key[1], None)  # type: ignore[arg-type]

    def _add(self, kind: str, parent_id: int | None, position: int | None) -> None:
        assert self.document is not None
        values = {"title": NEW_TITLES[kind]}
        if kind == "plan":
            values = {"year": self._free_year(), "title": "Partnership Plan"}
        new_key = self.document.add_item(kind, parent_id, position, **values)
        if new_key is not None:
            parent_index = self.document.model.find(*new_key).parent()
            self.tree.expand(parent_index)
            self.select(new_key)
            self._pending_insert = new_key if kind != "plan" else None
            self.tree.edit(self.document.model.find(*new_key))

    def _editor_closed(self, _editor: QWidget, hint: object) -> None:
        """Escape on the title of an item just inserted takes the insert back."""
        pending, self._pending_insert = self._pending_insert, None
        if self.document is not None:  # once the editor is gone: what waited for it
            QTimer.singleShot(0, self.document.catch_up_waiting)
        if pending is None or self.document is None:
            return
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            node = self.document.model.index_by_key.get(pending)
            if node is not None and node.title == NEW_TITLES[pending[0]]:
                self.document.undo_stack.undo()

    def start_plan_by_hand(self) -> None:
        """From an empty workspace: a plan for this year and its first priority, title to type."""
        assert self.document is not None
        plan = self.document.add_item(
            "plan", None, None, year=self._free_year(), title="Partnership Plan"
        )
        if plan is not None:
            self._add("priority", plan[1], None)

    def _free_year(self) -> str:
        import datetime as dt

        from sqlalchemy import select

        from cspdesk.core.plan import periods
        from cspdesk.core.plan.model import Plan

        assert self.document is not None
        years = set(
            self.document.workspace.read(lambda s: list(s.execute(select(Plan.year)).scalars()))
        )
        year = periods.year_of(dt.date.today())
        while year in years:
            year = periods.next_year(year)
        return year

    def delete_selected(self) -> None:
        assert self.document is not None
        keys = self.selected_keys()
        if not keys:
            return
        # Deleting a parent deletes its children: drop children of selected parents.
        chosen = set(keys)
        model = self.document.model
        top = []
        for key in keys:
            ancestor = model.index_by_key[key].parent
            while ancestor is not None and ancestor.key not in chosen:
                ancestor = ancestor.parent
            if ancestor is None:
                top.append(key)
        if self.document.delete_items(top):  # not said when refused or the server is away
            self.statusBar().showMessage(
                f"Deleted {count(len(top), 'item')}. Undo with Ctrl+Z.", 5000
            )

    def move_selected(self, step: int) -> None:
        assert self.document is not None
        key = self.current_key()
        if key is None:
            return
        node = self.document.model.index_by_key[key]
        parent = node.parent
        if parent is None:
            return
        position = parent.children.index(node) + step
        if not 0 <= position < len(parent.children):
            return
        parent_id = None if parent.kind == "root" else parent.id
        self.document.move_items([key], parent_id, position)
        self.select(key)

    def rename_selected(self) -> None:
        """F2: edit the current cell, or the title when that cell cannot be edited."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            index = index.siblingAtColumn(Column.TITLE)
        self.tree.setCurrentIndex(index)
        delegate = self.tree.itemDelegate()
        if isinstance(delegate, RagDelegate):
            delegate.cursor_at_end = True
        self.tree.edit(index)

    def edit_column(self, column: Column) -> None:
        """Open the editor of ``column`` in the current row (the RAG list opens at once)."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        cell = index.siblingAtColumn(column)
        if not cell.flags() & Qt.ItemFlag.ItemIsEditable:
            kind = self.document.model.node(cell).kind if self.document else "item"
            what = "RAG" if column == Column.RAG else "timescale or due date"
            self.statusBar().showMessage(f"A {kind} has no {what} to set here.", 5000)
            return
        self.tree.setCurrentIndex(cell)
        self.tree.scrollTo(cell)
        self.tree.edit(cell)
        editor = self.tree.indexWidget(cell) or QApplication.focusWidget()
        if column == Column.RAG and isinstance(editor, QComboBox):
            QTimer.singleShot(0, editor.showPopup)

    def edit_leads(self) -> None:
        key = self.current_key()
        if key is None or key[0] != "action" or self.detail is None:
            return
        self.detail._pick_leads(key[1])

    # ---- filter ----

    def _apply_filter(self) -> None:
        assert self.document is not None
        text, lead, rags = self.filter_bar.values()
        current = self.current_key()
        if self._place is not None:
            self._place.paused = True  # the filter decides what is open
        try:
            matches = self.document.set_filter(text, lead, rags)
        finally:
            if self._place is not None:
                self._place.paused = False
        if self.document.filter_args:
            # Few matches: open their objectives so the actions show. Thousands: keep them
            # folded under their objectives until the filter is narrowed.
            self.tree.expandToDepth(2 if matches <= MANY_MATCHES else 1)
            self.filter_bar.show_matches(
                self.document.shown_actions(), self.document.filter_matched
            )
        else:
            self.tree.expandToDepth(1)
            self.filter_bar.show_matches(None, [])
        if current is not None:
            self.select(current)

    # ---- files ----

    def open_path(self, path: Location, *, read_only: bool = False) -> bool:
        from cspdesk.ui.opening import open_interactively
        from cspdesk.ui.server_sign_in import sign_in

        if isinstance(path, ServerAddress) and not sign_in(self, path):  # Cancel keeps this plan
            return False
        if self.document is not None:
            if self.detail is not None:
                self.detail.show_item(None)  # saves a field still being typed
            if self.live_status is not None and not self.live_status.may_close():
                return False  # changes the server did not take: this plan stays open
            if _same_place(self.document.workspace.location, path):
                self._finish_with_workspace()  # release our own lock before reopening
        # Another workspace is opened before this one is let go: if it cannot be (damaged,
        # refused, the user gave up), the window stays on this one, still saving.
        opened = open_interactively(self, path, read_only=read_only)
        if opened is None:
            return False
        if self.document is not None and not self.document.workspace.closed:
            self._finish_with_workspace()
        self.set_workspace(opened.workspace, read_only_reason=opened.read_only_reason)
        return True

    def open_workspace(self) -> None:
        here = self.document.workspace.location if self.document else None
        start = str(here.parent) if isinstance(here, Path) else ""
        name, _ = QFileDialog.getOpenFileName(self, "Open workspace", start, WORKSPACE_FILTER)
        if name:
            self.open_path(Path(name))

    def connect_to_shared_plan(self) -> None:
        from cspdesk.ui.dialogs.connect import choose_shared_plan

        address = choose_shared_plan(self, self.settings)
        if address is not None:
            self.open_path(address)

    def new_workspace(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from cspdesk.errors import CspdeskError

        name, _ = QFileDialog.getSaveFileName(self, "New workspace", "", WORKSPACE_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix != WORKSPACE_SUFFIX:
            path = path.with_name(path.name + WORKSPACE_SUFFIX)
        partnership, ok = QInputDialog.getText(self, "New workspace", "Partnership name:")
        if not ok or not partnership.strip():
            return
        try:
            Workspace.create(path, partnership.strip()).close()
        except CspdeskError as error:
            self._show_error(str(error))
            return
        self.open_path(path)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent.paths():
            action = self.recent_menu.addAction(literal(str(path)))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def backup_now(self) -> None:
        from cspdesk.errors import CspdeskError

        if self.document is not None and self.document.workspace.is_shared:
            self._copy_shared_plan(self.document.workspace.location)
            return
        if self.keeper is None:
            self._show_error("This workspace is open read-only; back up the file it came from.")
            return
        try:
            target = self.keeper.backup_now()
        except CspdeskError as error:
            self._show_error(str(error))
            return
        self.file_notice.announce(f"Backup saved: {target}", Path(target), can_open=False)

    def _copy_shared_plan(self, address: ServerAddress) -> None:
        """Backup now on a shared plan: a local workspace file copy, made off the UI thread."""
        from cspdesk.errors import CspdeskError
        from cspdesk.store.backup import copy_shared_plan
        from cspdesk.ui.dialogs._task import run_task

        try:
            target = run_task(
                self,
                "Copying the shared plan to this computer…",
                lambda _p: copy_shared_plan(address),
            )
        except CspdeskError as error:
            self._show_error(str(error))
            return
        self.statusBar().showMessage(
            f"A copy of the shared plan saved: {target} (the server's own backups are its "
            "administrator's)",
            15000,
        )

    def _start_backups(self, workspace: Workspace) -> None:
        """Back up on open (in the background, after the window shows) and every 30 min."""
        from cspdesk.store.autobackup import BackupKeeper

        # Rotated backups are for files; a shared plan's are the server's (pg_dump).
        shared = workspace.is_shared
        self.keeper = None if workspace.read_only or shared else BackupKeeper(workspace)
        if self.keeper is not None:
            QTimer.singleShot(1500, lambda k=self.keeper: self._backup_in_background(k.on_open))

    def _backup_tick(self) -> None:
        if self.keeper is not None:
            self._backup_in_background(self.keeper.tick)

    def _backup_in_background(self, job: Callable[[], object]) -> None:
        import threading

        def run() -> None:
            from cspdesk.errors import CspdeskError

            try:
                job()
            except CspdeskError as error:
                self.backup_failed.emit(str(error))

        threading.Thread(target=run, name="cspdesk-backup", daemon=True).start()

    def _finish_with_workspace(self) -> None:
        """Last backup and release of the file (on close, or before another opens)."""
        if self.detail is not None:
            self.detail.show_item(None)  # saves a field still being typed
        if self.keeper is not None:
            from cspdesk.errors import CspdeskError

            try:
                self.keeper.on_close()
            except CspdeskError as error:
                self._show_error(f"The closing backup failed: {error}")
            self.keeper = None
        if self.document is not None:
            self.document.workspace.close()

    def workspace_settings(self, page: str = "") -> None:
        """One settings dialog at a time; it goes when closed (an old one would keep
        reloading on every edit)."""
        from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

        assert self.document is not None
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            return
        dialog = WorkspaceSettingsDialog(self.document, self)
        dialog.show_page(page)
        self._settings_dialog = dialog
        try:
            dialog.exec()
        finally:
            self._settings_dialog = None
            dialog.setParent(None)
            dialog.deleteLater()
        assert self.document is not None
        self.filter_bar.populate(self.document.workspace, self.document.rag_style)

    def open_help(self) -> None:
        """F1: the guide shipped in resources, in the browser (or where it is, if none opens)."""
        from cspdesk.paths import resources_dir
        from cspdesk.ui.file_notice import no_program_said, open_path

        guide = resources_dir() / "help" / "guide.html"
        if not open_path(guide):
            self.statusBar().showMessage(no_program_said(guide), 20000)

    def about(self) -> None:
        from cspdesk import __version__

        QMessageBox.about(
            self,
            f"About {APP_DISPLAY_NAME}",
            f"<b>{APP_DISPLAY_NAME}</b> {__version__}<br>"
            "The Community Safety Partnership plan on your desktop.",
        )

    def _show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_DISPLAY_NAME, message)

    # ---- window state ----

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)  # from a bigger screen, perhaps: fitted as it shows
        else:
            self._default_size()
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        header = self.settings.value("window/tree_header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.tree.header().restoreState(header)

    def _default_size(self) -> None:
        """1280×760 where there is room, else the screen's available area; the tree 860 of 1280."""
        area = available_area(self)
        width, height = 1280, 760
        if area is not None:
            width = min(width, area.width() - GUESSED_FRAME[0])
            height = min(height, area.height() - GUESSED_FRAME[1])
        self.resize(width, height)
        tree = width * 860 // 1280
        self.splitter.setSizes([tree, width - tree])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.document is not None:
            # The system switched between light and dark: colours that depend on it follow.
            self.document.model.follow_palette()
            self.tree.viewport().update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.settings.value("window/tree_header") is None:  # no widths of the user's yet
                QTimer.singleShot(0, self.fit_columns)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.detail is not None:
            self.detail.save_typing()  # saved, or kept if the server is away: then asked
        if self.live_status is not None and not self.live_status.may_close():
            event.ignore()  # changes the server did not take: saved, given up, or kept open
            return
        self._outside_timer.stop()  # a closed window must not keep reloading the plan
        if self.live is not None:
            self.live.stop()
        self._finish_with_workspace()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/tree_header", self.tree.header().saveState())
        self.settings.setValue("window/state", self.saveState())
        super().closeEvent(event)


__all__ = ["KIND_LABELS", "MainWindow"]


def _same_place(current: Location, other: Location | str) -> bool:
    """Whether ``other`` names the workspace at ``current`` (reopening it, e.g. read-only)."""
    from cspdesk.errors import CspdeskError
    from cspdesk.store.address import parse_location

    try:
        wanted = parse_location(other)
    except CspdeskError:
        return False
    if isinstance(current, Path) and isinstance(wanted, Path):
        return current.resolve() == wanted.resolve()
    return current == wanted
