"""The main window: the plan tree, its filter, the detail pane, menus and undo.

It shows as a frame first (menus, an empty tree, the plan's name in the title) so that start-up
paints at once; the plan and the modules it needs (the store, the document, the panes) come
with ``set_workspace``. Each concern lives in its own module: tree editing, workspaces and
Open recent, changes made elsewhere, backups, the saved window state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cspdesk import APP_DISPLAY_NAME
from cspdesk.store.address import Location, ServerAddress
from cspdesk.ui.empty_hint import EmptyPlanHint
from cspdesk.ui.file_notice import FileNotice
from cspdesk.ui.screen_fit import fit_on_screen, keep_windows_on_screen
from cspdesk.ui.undo_keys import PlanUndoKeys
from cspdesk.ui.window_state import restore_panes, restore_size, save_state
from cspdesk.ui.workspace_files import WorkspaceFiles

if TYPE_CHECKING:
    from cspdesk.store.db import Workspace
    from cspdesk.ui.catch_up import Editing
    from cspdesk.ui.cell_keys import CellKeys
    from cspdesk.ui.detail_pane import DetailPane
    from cspdesk.ui.document import PlanDocument
    from cspdesk.ui.features import FeatureMenus
    from cspdesk.ui.filter_bar import FilterBar
    from cspdesk.ui.live import LiveView
    from cspdesk.ui.live_status import LiveStatus
    from cspdesk.ui.tree_editing import TreeEditing
    from cspdesk.ui.tree_place import TreePlace
    from cspdesk.ui.window_backups import WindowBackups
    from cspdesk.ui.window_live import OutsideChanges

MANY_MATCHES = 500
# The direction column is a hint worked out in the background: start it once the window shows.
DIRECTIONS_DELAY_MS = 300
PANE_REFRESH_MS = 600


def window_title(location: Location, *, read_only: bool = False) -> str:
    name = location.name
    if isinstance(location, ServerAddress) and location.host:
        name = f"{name} on {location.host}"  # two servers may hold a "cspdesk" database
    suffix = " [read-only]" if read_only else ""
    return f"{name}{suffix} – {APP_DISPLAY_NAME}"


class MainWindow(QMainWindow):
    def __init__(
        self, workspace: Workspace | None = None, *, read_only_reason: str | None = None
    ) -> None:
        super().__init__()
        self.settings = QSettings()
        self.document: PlanDocument | None = None
        self.detail: DetailPane | None = None
        self.features: FeatureMenus | None = None
        # Made with the first plan shown (they import the store and the panes).
        self.filter_bar: FilterBar
        self.editing: TreeEditing
        self.cell_keys: CellKeys
        self.outside: OutsideChanges
        self.backups: WindowBackups
        self._undo_keys: PlanUndoKeys
        self._place: TreePlace | None = None
        self._refiltering = False
        self._settings_dialog: QWidget | None = None
        self._shown_once = False

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
        self.empty_hint = EmptyPlanHint(self.tree)
        self.empty_hint.import_requested.connect(
            lambda: self.features and self.features.import_plan()
        )
        self.empty_hint.add_requested.connect(lambda: self.editing.start_plan_by_hand())
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#FFF4CE;color:#3B2F00;padding:6px;border-bottom:1px solid #E0C060;"
        )
        self.banner.hide()
        left = QWidget()
        self._left_layout = QVBoxLayout(left)
        self._left_layout.setContentsMargins(0, 0, 0, 0)
        self._left_layout.addWidget(self.banner)
        self._left_layout.addWidget(self.tree)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.setCentralWidget(self.splitter)
        self._pane_timer = QTimer(self)
        self._pane_timer.setSingleShot(True)
        self._pane_timer.setInterval(PANE_REFRESH_MS)
        self._pane_timer.timeout.connect(self._refresh_after_edits)
        self.files = WorkspaceFiles(self)
        self.file_notice = FileNotice(self)  # "Saved: …  [Open] [Show in folder]"
        self._build_menus()
        restore_size(self)
        if workspace is not None:
            self.set_workspace(workspace, read_only_reason=read_only_reason)

    # ---- start-up ----

    def show_opening(self, location: Location) -> None:
        """The frame before the plan: its name in the title while it is read."""
        self.setWindowTitle(window_title(location))
        self.statusBar().showMessage(f"Opening {location.name}…")

    def _build_content(self) -> None:
        """What the first plan shown needs beyond the frame: filter, editing, the watch for
        changes made elsewhere, backups (imported here, after the frame has painted)."""
        from cspdesk.ui.cell_keys import CellKeys
        from cspdesk.ui.filter_bar import FilterBar
        from cspdesk.ui.tree_editing import TreeEditing
        from cspdesk.ui.window_backups import WindowBackups
        from cspdesk.ui.window_live import OutsideChanges

        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self._apply_filter)
        self._left_layout.insertWidget(1, self.filter_bar)
        # Made after the tree, yet before it for the keyboard: Tab goes filter, lead, RAG,
        # tree (the filter first, as it was added above the tree; it has the focus at start).
        bar = self.filter_bar
        for first, second in (
            (self.tree, bar.text),
            (bar.text, bar.lead),
            (bar.lead, bar.rag),
            (bar.rag, self.tree),
        ):
            QWidget.setTabOrder(first, second)
        if self.tree.hasFocus():  # the frame's one focusable widget took it when shown
            bar.text.setFocus()
        self.editing = TreeEditing(self)
        self.cell_keys = CellKeys(self.tree)
        self.outside = OutsideChanges(self)
        self.presence_label = self.outside.presence_label
        self.backups = WindowBackups(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # an edit ended somewhere: show what waited for it
            app.focusChanged.connect(self._focus_moved)

    def _first_plan_shown(self) -> None:
        from cspdesk.ui.features import FeatureMenus

        # Both watch every event of the application, so they come with the plan, not before:
        # the frame fits itself as it shows (showEvent); Ctrl+Z has a plan to undo only now.
        keep_windows_on_screen()
        self._undo_keys = PlanUndoKeys(self)
        self.features = FeatureMenus(self)
        restore_panes(self)
        if self.isVisible() and self.settings.value("window/tree_header") is None:
            # The frame was on screen before the detail pane came: fit the columns to the
            # tree's own width once the panes are laid out (as on a first show).
            QTimer.singleShot(0, self.fit_columns)

    # ---- workspace ----

    def set_workspace(self, workspace: Workspace, *, read_only_reason: str | None = None) -> None:
        from cspdesk.ui.delegates import RagDelegate
        from cspdesk.ui.detail_pane import DetailPane
        from cspdesk.ui.document import PlanDocument
        from cspdesk.ui.tree_place import TreePlace

        first = self.document is None and self.detail is None
        if first:
            self._build_content()
        old = self.document
        self.document = document = PlanDocument(workspace)
        document.error.connect(self.show_error)
        document.setParent(self)
        self.tree.setModel(document.model)
        self._place = TreePlace(self.tree, document.model)
        for signal in (document.model.modelReset, document.model.rowsInserted):
            signal.connect(self._update_empty_hint)
        document.model.rowsRemoved.connect(self._update_empty_hint)
        self._update_empty_hint()
        delegate = RagDelegate(lambda: document.rag_style, self.tree)
        delegate.closeEditor.connect(self.editing.editor_closed)
        delegate.refuse = self.editing.refuse_on_open
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
        self.files.opened(workspace.path)
        self.setWindowTitle(window_title(workspace.location, read_only=document.read_only))
        self.statusBar().clearMessage()  # "Opening …"
        if self.features is not None:
            self.features.workspace_changed()
        document.changed.connect(self.schedule_pane_refresh)
        document.directions_ready.connect(lambda _found: self._directions_shown())
        QTimer.singleShot(DIRECTIONS_DELAY_MS, document.refresh_directions)
        self.backups.start(workspace)
        document.editing = self._editing_now
        self.outside.start(workspace)
        workspace.changed_elsewhere()  # note the plan as loaded; the poll compares with it
        if old is not None:
            old.workspace.close()
            old.deleteLater()
        if first:
            self._first_plan_shown()

    def _update_empty_hint(self, *_changed: object) -> None:
        document = self.document
        self.empty_hint.update_shown(document is not None and not document.model.root.children)

    def open_path(self, path: Location, *, read_only: bool = False) -> bool:
        return self.files.open_path(path, read_only=read_only)

    def finish_with_workspace(self) -> None:
        """Last backup and release of the file (on close, or before another opens)."""
        if self.detail is not None:
            self.detail.show_item(None)  # saves a field still being typed
        if self.document is not None:
            self.backups.on_close()
            self.document.workspace.close()

    @property
    def live(self) -> LiveView | None:
        return self.outside.live if self.document is not None else None

    @property
    def live_status(self) -> LiveStatus | None:
        return self.outside.live_status if self.document is not None else None

    def reload_if_changed_elsewhere(self) -> bool:
        return self.document is not None and self.outside.reload_if_changed()

    def save_requested(self) -> None:
        """Ctrl+S: what is saved, truly; changes the server did not take are tried again."""
        status = self.live_status
        if status is not None and len(status.document.unsaved):
            status.save_held()
        elif self.document is not None:
            self.statusBar().showMessage(
                "Every change is saved as you make it: nothing is waiting to be saved.", 5000
            )

    def backup_now(self) -> None:
        if self.document is not None:
            self.backups.backup_now()

    def fit_columns(self) -> None:
        """Columns to their content, the title to the room left (measured once on screen)."""
        if self.document is None:
            return
        from cspdesk.ui.columns import fit_columns

        room = self.tree.viewport().width() if self.isVisible() else 0
        if room < 200:  # not laid out yet: the tree's share of the default window
            room = self.splitter.sizes()[0] if self.splitter.sizes()[0] > 200 else 840
        fit_columns(self.tree, self.document.model, room)

    def _directions_shown(self) -> None:
        from cspdesk.ui.plan_model import Column

        document = self.document
        hidden = document is not None and self.tree.isColumnHidden(Column.DIRECTION)
        if hidden and document and any(n.direction for n in document.model.index_by_key.values()):
            self.tree.setColumnHidden(Column.DIRECTION, False)
            self.tree.resizeColumnToContents(Column.DIRECTION)
        self.tree.viewport().update()

    def _focus_moved(self, *_widgets: object) -> None:
        if self.document is not None and self.document.outside.waiting:
            QTimer.singleShot(0, self.document.catch_up_waiting)

    def _editing_now(self) -> Editing:
        from cspdesk.ui.catch_up import Editing
        from cspdesk.ui.delegates import RagDelegate

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

    def schedule_pane_refresh(self, _change: object = None) -> None:
        # Panes (checker, dashboard...) recompute over the whole plan: not on every keystroke.
        self._pane_timer.start()

    # ---- menus ----

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
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

    def _build_menus(self) -> None:
        std = QKeySequence.StandardKey
        self.new_action = self.files.new_action
        self.open_action = self.files.open_action
        self.recent_menu = self.files.recent_menu
        self.connect_action = self.files.connect_action
        self.backup_action = self._action(
            "&Backup now", self.backup_now, tip="Save a checked copy in the backups folder"
        )
        self.quit_action = self._action("&Quit", self.close, std.Quit)
        self.find_action = self._action(
            "&Filter…", lambda: self.document and self.filter_bar.text.setFocus(), std.Find
        )
        self.expand_action = self._action("&Expand all", self.tree.expandAll)
        self.collapse_action = self._action("&Collapse all", self.tree.collapseAll)
        # No Save item (each change is saved as it is made), but Ctrl+S from habit says so.
        self.addAction(self._action("Save", self.save_requested, std.Save))

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.files.add_to_menu(file_menu)
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
                std.HelpContents,
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
        self.edit_menu.addActions(self.editing.menu_actions())

    # ---- the selected items ----

    def selected_keys(self) -> list[tuple[str, int]]:
        assert self.document is not None
        model = self.document.model
        rows = self.tree.selectionModel().selectedRows(0)
        return [model.node(index).key for index in rows]

    def current_key(self) -> tuple[str, int] | None:
        index = self.tree.currentIndex()
        if not index.isValid() or self.document is None:
            return None
        return self.document.model.node(index).key

    def select(self, key: tuple[str, int], *, scroll: bool = True) -> None:
        assert self.document is not None
        index = self.document.model.find(*key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            if scroll:
                self.tree.scrollTo(index)

    def delete_selected(self) -> None:
        self.editing.delete_selected()

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.internalPointer() is previous.internalPointer() and current.isValid():
            return  # another cell of the same row (Ctrl+R, Left): the pane shows it already
        if self.detail is not None and self.document is not None and not self._refiltering:
            self.detail.show_item(
                self.document.model.node(current).key if current.isValid() else None
            )
        key = self.current_key()
        self._follow_plan(current)
        self.editing.current_changed(key[0] if key else None)

    def _follow_plan(self, current: QModelIndex) -> None:
        """Another plan selected: the as-at heading and the panes (checker...) follow it."""
        from cspdesk.ui.plan_model import Column, plan_of

        if self.document is None or not current.isValid():
            return
        model = self.document.model
        plan = plan_of(model.node(current))
        if plan is not None and plan != model.shown_plan:
            model.shown_plan = plan
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, Column.TITLE, Column.TITLE)
            self.schedule_pane_refresh()

    # ---- filter ----

    def _apply_filter(self) -> None:
        assert self.document is not None
        text, lead, rags = self.filter_bar.values()
        current = self.current_key()
        # The tree is rebuilt under the current row: the detail pane keeps its item rather than
        # going blank and reading it again on every keystroke, unless the row is filtered out.
        self._refiltering = True
        if self._place is not None:
            self._place.paused = True  # the filter decides what is open
        try:
            matches = self.document.set_filter(text, lead, rags)
            if current is not None:
                self.select(current, scroll=False)  # scrolled to once its rows are open
        finally:
            self._refiltering = False
            if self._place is not None:
                self._place.paused = False
        if self.document.shown_unchanged:
            return  # the same rows: what is open, selected and said stays as it is
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
        shown_now = self.current_key()
        if self.detail is not None and self.detail.key != shown_now:
            self.detail.show_item(shown_now)
        if current is not None and shown_now == current:
            self.tree.scrollTo(self.tree.currentIndex())

    # ---- dialogs ----

    def workspace_settings(self, page: str = "") -> None:
        """One settings dialog at a time; it goes when closed (an old one would keep
        reloading on every edit)."""
        from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

        if self.document is None:
            return
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

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_DISPLAY_NAME, message)

    _show_error = show_error  # the name features.py calls

    # ---- window events ----

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.document is not None:
            # The system switched between light and dark: colours that depend on it follow.
            self.document.model.follow_palette()
            self.tree.viewport().update()

    def showEvent(self, event: QShowEvent) -> None:
        fit_on_screen(self)  # as the application-wide watch does once the plan is there
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
        if self.document is not None:
            self.outside.closing()
            self.finish_with_workspace()
        save_state(self, panes=self.document is not None)
        super().closeEvent(event)
