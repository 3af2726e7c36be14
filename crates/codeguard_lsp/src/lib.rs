//! codeguard's language server (`codeguard lsp`) on tower-lsp-server: diagnostics computed
//! from the editor's in-memory text on open, change and save; push (`publishDiagnostics`) or
//! pull (`textDocument/diagnostic`) depending on what the client supports; quick fixes,
//! "disable for this line", `source.fixAll.codeguard`; rule docs on hover; the same in the
//! Python cells of notebooks (LSP 3.17 notebook sync). It depends on the engine and rules only:
//! the CLI passes in how to load rules ([`RuleLoader`]).

mod convert;
mod notebook;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use codeguard_engine::{
    Applicability, Diagnostic as Finding, ScanOptions, scan_source_incremental,
};
use codeguard_language::Lang;
use codeguard_rules::{Rule, RuleSet, Severity};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use convert::LineIndex;
use notebook::OpenNotebook;

/// Loads the rules for a workspace with the given settings, and the scan options its
/// configuration asks for (inline suppressions, model signing); errors are shown to the user.
pub type RuleLoader = Arc<
    dyn Fn(
            &Settings,
            Option<&std::path::Path>,
        ) -> std::result::Result<(Vec<Rule>, ScanOptions), String>
        + Send
        + Sync,
>;

/// Settings from `initializationOptions` or `workspace/didChangeConfiguration`
/// (`{"codeguard": {...}}` or the object itself).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Rule ids, names or packs to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids, names or packs not to run.
    pub ignore: Vec<String>,
    /// Extra rule folders.
    pub rules: Vec<PathBuf>,
}

impl Settings {
    fn from_value(value: &Value) -> Option<Settings> {
        let inner = value.get("codeguard").unwrap_or(value);
        serde_json::from_value(inner.clone()).ok()
    }
}

struct Document {
    version: Option<i32>,
    /// Which store of the document this is (one counter for all documents): a scan's result
    /// is kept and published only while its generation is the document's.
    generation: u64,
    /// Stops the scan of this text once a newer text or a close makes it useless.
    cancel: Arc<AtomicBool>,
    text: String,
    lang: Option<Lang>,
    /// What the scan of `tree_text` left for re-scanning the next version.
    parsed: Option<Parsed>,
    tree_text: String,
    /// Findings for `text` with the current rules; cleared by edits and rule reloads.
    findings: Option<Vec<Finding>>,
}

/// What the scan of a version of a document leaves for re-scanning the next one.
pub(crate) struct Parsed {
    /// Its tree, for an incremental parse (none when the prefilter spared the parse).
    tree: Option<codeguard_engine::Tree>,
    /// Where its prefilter pass found the rules' tokens.
    prefilter: codeguard_engine::PrefilterMemo,
}

/// Documents larger than this are not scanned (one informational diagnostic says so): the
/// CLI skips files over its `--max-file-size` default too.
const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// The server: a handle to its state, cloned into the tasks that scan off the request loop.
#[derive(Clone)]
pub struct Backend(Arc<State>);

impl std::ops::Deref for Backend {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

/// The server state.
pub struct State {
    client: Client,
    loader: RuleLoader,
    rules: RwLock<Arc<RuleSet>>,
    options: RwLock<Arc<ScanOptions>>,
    settings: Mutex<Settings>,
    root: Mutex<Option<PathBuf>>,
    documents: Mutex<HashMap<Uri, Document>>,
    /// Open notebooks by notebook URI; their cells are not in `documents`.
    notebooks: Mutex<HashMap<Uri, OpenNotebook>>,
    /// The client asks for diagnostics itself (LSP 3.17 pull); otherwise we push them.
    pull: Mutex<bool>,
    /// The last document generation handed out (see [`Document::generation`]).
    generations: AtomicU64,
    /// Held from "is this still the document's current generation?" to the publication, and
    /// by a close from removing the document to publishing its empty list, so that a late
    /// scan never publishes over a newer one or a closed document.
    publishing: tokio::sync::Mutex<()>,
}

const DOCS_BASE: &str = "https://github.com/codeguard/codeguard/blob/main/rules";

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

impl Backend {
    fn new(client: Client, loader: RuleLoader) -> Self {
        Backend(Arc::new(State {
            client,
            loader,
            rules: RwLock::new(Arc::new(RuleSet::new(Vec::new()))),
            options: RwLock::new(Arc::new(ScanOptions::default())),
            settings: Mutex::new(Settings::default()),
            root: Mutex::new(None),
            documents: Mutex::new(HashMap::new()),
            notebooks: Mutex::new(HashMap::new()),
            pull: Mutex::new(false),
            generations: AtomicU64::new(0),
            publishing: tokio::sync::Mutex::new(()),
        }))
    }

    fn rules(&self) -> Arc<RuleSet> {
        self.rules
            .read()
            .map(|r| Arc::clone(&r))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    async fn reload_rules(&self) {
        let settings = self.settings.lock().map(|s| s.clone()).unwrap_or_default();
        let root = self.root.lock().ok().and_then(|r| r.clone());
        match (self.loader)(&settings, root.as_deref()) {
            Ok((rules, options)) => {
                if let Ok(mut slot) = self.rules.write() {
                    *slot = Arc::new(RuleSet::new(rules));
                }
                if let Ok(mut slot) = self.options.write() {
                    *slot = Arc::new(options);
                }
                self.forget_findings();
            }
            Err(e) => {
                self.client
                    .show_message(MessageType::ERROR, format!("codeguard: {e}"))
                    .await;
            }
        }
    }

    /// Findings for a document, from its in-memory text (cached per version; the previous
    /// tree makes the re-parse after an edit incremental). Scans without holding the
    /// documents' lock, so requests about other documents are answered meanwhile; `None` for a
    /// document that is not open, or whose scan a newer edit or a close cancelled.
    fn findings(&self, uri: &Uri) -> Option<(Vec<Finding>, String, Option<i32>)> {
        if let Some(found) = self.cell_findings(uri) {
            return Some(found);
        }
        let (lang, text, version, generation, mut parsed, tree_text, cancel) = {
            let mut docs = self.documents.lock().ok()?;
            let doc = docs.get_mut(uri)?;
            let lang = doc.lang?;
            if doc.text.len() > MAX_DOCUMENT_BYTES {
                // Not scanned (see `lsp_diagnostics`).
                return Some((Vec::new(), String::new(), doc.version));
            }
            if let Some(findings) = &doc.findings {
                return Some((findings.clone(), doc.text.clone(), doc.version));
            }
            (
                lang,
                doc.text.clone(),
                doc.version,
                doc.generation,
                doc.parsed.take(),
                std::mem::take(&mut doc.tree_text),
                Arc::clone(&doc.cancel),
            )
        };
        let path = uri
            .to_file_path()
            .map(|p| p.into_owned())
            .unwrap_or_else(|| PathBuf::from(uri.as_str()));
        let findings = self.scan(lang, &path, &text, &mut parsed, &tree_text, Some(&cancel));
        let mut docs = self.documents.lock().ok()?;
        let doc = docs.get_mut(uri)?;
        // The new tree serves the next edit's incremental parse, unless a concurrent scan
        // already left a tree there.
        if doc.parsed.is_none() && parsed.is_some() {
            doc.parsed = parsed;
            doc.tree_text = text.clone();
        }
        let findings = findings?;
        if doc.generation != generation {
            return None;
        }
        doc.findings = Some(findings.clone());
        Some((findings, text, version))
    }

    /// Scans `text`, re-using what the scan of `tree_text` left (`parsed`: its tree for an
    /// incremental parse, its prefilter pass) and leaving this scan's in its place. `None` if
    /// `cancel` was set before the scan ended.
    fn scan(
        &self,
        lang: Lang,
        path: &std::path::Path,
        text: &str,
        parsed: &mut Option<Parsed>,
        tree_text: &str,
        cancel: Option<&Arc<AtomicBool>>,
    ) -> Option<Vec<Finding>> {
        let previous = parsed.take();
        let edit = previous
            .as_ref()
            .map(|_| codeguard_engine::edit_between(tree_text, text));
        let (tree, memo) = match (previous, &edit) {
            (Some(Parsed { tree, prefilter }), Some(edit)) => (
                tree.map(|mut tree| {
                    tree.edit(edit);
                    tree
                }),
                Some((prefilter, codeguard_engine::TextEdit::from(edit))),
            ),
            _ => (None, None),
        };
        let rules = self.rules();
        let mut options = self
            .options
            .read()
            .map(|o| ScanOptions::clone(&o))
            .unwrap_or_default();
        options.cancel = cancel.cloned();
        let (mut report, new_tree, prefilter) = scan_source_incremental(
            &rules,
            lang,
            path,
            text,
            &options,
            tree.as_ref(),
            memo.as_ref().map(|(memo, edit)| (memo, *edit)),
        )
        .ok()?;
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        codeguard_engine::fold_same_code(&mut report.diagnostics);
        *parsed = Some(Parsed {
            tree: new_tree,
            prefilter,
        });
        Some(report.diagnostics)
    }

    /// Findings for a notebook cell, relative to its text: the notebook's Python cells are
    /// scanned together (cached until the next change). `None` when `uri` is no open cell.
    fn cell_findings(&self, uri: &Uri) -> Option<(Vec<Finding>, String, Option<i32>)> {
        let mut notebooks = self.notebooks.lock().ok()?;
        let notebook = notebooks.values_mut().find(|n| n.holds(uri))?;
        if notebook.findings.is_none() {
            let source = notebook.code().source.clone();
            let findings = if source.len() > MAX_DOCUMENT_BYTES {
                // Not scanned (see `lsp_diagnostics`).
                Vec::new()
            } else {
                let path = notebook.path.clone();
                let mut parsed = notebook.parsed.take();
                let tree_text = std::mem::take(&mut notebook.tree_text);
                let findings =
                    self.scan(Lang::Python, &path, &source, &mut parsed, &tree_text, None);
                notebook.parsed = parsed;
                notebook.tree_text = source.clone();
                findings?
            };
            notebook.findings = Some(findings);
        }
        let version = notebook.cell_version(uri);
        let (findings, text) = notebook.cell_findings(uri)?;
        Some((findings, text, version))
    }

    /// The version of an open document or notebook cell.
    fn version_of(&self, uri: &Uri) -> Option<i32> {
        if let Some(version) = self.notebooks.lock().ok().and_then(|n| {
            n.values()
                .find(|n| n.holds(uri))
                .and_then(|n| n.cell_version(uri))
        }) {
            return Some(version);
        }
        self.documents
            .lock()
            .ok()
            .and_then(|d| d.get(uri).and_then(|doc| doc.version))
    }

    /// Whether `uri` is a cell of an open notebook.
    fn is_cell(&self, uri: &Uri) -> bool {
        self.notebooks
            .lock()
            .is_ok_and(|n| n.values().any(|n| n.holds(uri)))
    }

    /// The language of an open document; notebook cells are scanned as Python.
    fn lang_of(&self, uri: &Uri) -> Option<Lang> {
        if self.is_cell(uri) {
            return Some(Lang::Python);
        }
        self.documents
            .lock()
            .ok()
            .and_then(|d| d.get(uri).and_then(|doc| doc.lang))
    }

    /// The size of a document too large to scan on every keystroke, if it is.
    fn oversized(&self, uri: &Uri) -> Option<usize> {
        if let Ok(mut notebooks) = self.notebooks.lock()
            && let Some(notebook) = notebooks.values_mut().find(|n| n.holds(uri))
        {
            let size = notebook.code().source.len();
            return (size > MAX_DOCUMENT_BYTES).then_some(size);
        }
        let docs = self.documents.lock().ok()?;
        let size = docs.get(uri)?.text.len();
        (size > MAX_DOCUMENT_BYTES).then_some(size)
    }

    fn forget_findings(&self) {
        if let Ok(mut docs) = self.documents.lock() {
            for doc in docs.values_mut() {
                doc.findings = None;
            }
        }
        if let Ok(mut notebooks) = self.notebooks.lock() {
            for notebook in notebooks.values_mut() {
                notebook.forget_findings();
            }
        }
    }

    fn lsp_diagnostics(&self, uri: &Uri) -> Vec<Diagnostic> {
        if let Some(size) = self.oversized(uri) {
            return vec![Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::INFORMATION),
                source: Some("codeguard".into()),
                message: format!(
                    "codeguard: not scanned, this document is {size} bytes (the limit is {MAX_DOCUMENT_BYTES})"
                ),
                ..Diagnostic::default()
            }];
        }
        let Some((findings, text, _)) = self.findings(uri) else {
            return Vec::new();
        };
        let index = LineIndex::new(&text);
        let rules = self.rules();
        findings
            .iter()
            .map(|f| {
                let href = rules.find(&f.rule_id).and_then(|r| {
                    format!("{DOCS_BASE}/{}/{}.md", r.pack, r.name)
                        .parse::<Uri>()
                        .ok()
                });
                Diagnostic {
                    range: index.range(f.range.start_byte, f.range.end_byte),
                    severity: Some(severity(f.severity)),
                    code: Some(NumberOrString::String(f.rule_id.clone())),
                    code_description: href.map(|href| CodeDescription { href }),
                    source: Some("codeguard".into()),
                    message: std::iter::once(format!(
                        "{} ({}): {}",
                        f.rule_name,
                        f.cwe.join(", "),
                        f.message
                    ))
                    .chain(
                        f.also
                            .iter()
                            .map(|a| format!("also {}: {}", a.rule_id, a.message)),
                    )
                    .collect::<Vec<_>>()
                    .join("\n"),
                    // The path of a data-flow finding: source, steps and sink.
                    related_information: (!f.flow.is_empty()).then(|| {
                        f.flow
                            .iter()
                            .map(|step| {
                                let at = index.offset_of(step.line, step.column);
                                DiagnosticRelatedInformation {
                                    location: Location::new(uri.clone(), index.range(at, at)),
                                    message: step.note.clone(),
                                }
                            })
                            .collect()
                    }),
                    tags: None,
                    data: Some(json!({
                        "rule_id": f.rule_id,
                        "fix": f.fix,
                    })),
                }
            })
            .collect()
    }

    async fn republish_all(&self) {
        let notebooks: Vec<Uri> = self
            .notebooks
            .lock()
            .map(|n| n.keys().cloned().collect())
            .unwrap_or_default();
        for notebook in notebooks {
            self.publish_notebook(&notebook, Vec::new()).await;
        }
        if self.pull.lock().map(|p| *p).unwrap_or(false) {
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        let uris: Vec<Uri> = self
            .documents
            .lock()
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        for uri in uris {
            self.schedule_publish(uri);
        }
    }

    /// Diagnostics for every cell of a notebook after a change (a change in one cell can
    /// change what is found in a later one), and none for the cells that left it. Pushed even
    /// to clients that pull: VS Code's client (vscode-languageclient 9) never pulls for cells.
    async fn publish_notebook(&self, notebook: &Uri, gone: Vec<Uri>) {
        for uri in gone {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        let cells = self
            .notebooks
            .lock()
            .ok()
            .and_then(|n| n.get(notebook).map(OpenNotebook::cell_uris))
            .unwrap_or_default();
        let scanned = self
            .off_loop(move |this| {
                cells
                    .into_iter()
                    .map(|uri| {
                        let version = this.version_of(&uri);
                        let diagnostics = this.lsp_diagnostics(&uri);
                        (uri, diagnostics, version)
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
        for (uri, diagnostics, version) in scanned {
            self.client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        }
    }

    /// Holds a newly opened document. Its language comes from the client's `languageId`
    /// (untitled buffers have no file name), else from its name.
    fn open(&self, uri: &Uri, language_id: &str, version: i32, text: String) {
        let lang = Lang::from_language_id(language_id).or_else(|| {
            uri.to_file_path()
                .and_then(|p| Lang::from_path(&p))
                .or_else(|| {
                    let s = uri.as_str();
                    Lang::from_path(std::path::Path::new(s.rsplit('/').next().unwrap_or(s)))
                })
        });
        let Ok(mut docs) = self.documents.lock() else {
            return;
        };
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(old) = docs.insert(
            uri.clone(),
            Document {
                version: Some(version),
                generation,
                cancel: Arc::new(AtomicBool::new(false)),
                text,
                lang,
                parsed: None,
                tree_text: String::new(),
                findings: None,
            },
        ) {
            old.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Replaces the text of an open document; false (nothing changed) for a document that is
    /// not open (a change that arrives after the close must not open it again) or a version
    /// older than the one held. Cancels the scan of the text it replaces.
    fn update(&self, uri: &Uri, version: Option<i32>, text: String) -> bool {
        let Ok(mut docs) = self.documents.lock() else {
            return false;
        };
        let Some(doc) = docs.get_mut(uri) else {
            eprintln!(
                "codeguard lsp: change to {}, which is not open, ignored",
                uri.as_str()
            );
            return false;
        };
        if let (Some(existing), Some(new)) = (doc.version, version) {
            // Handlers run concurrently; a change that arrives after a newer one must lose.
            if new < existing {
                return false;
            }
        }
        if doc.text == text {
            // A save that sends the text it already has: the scan under way or the cached
            // findings still hold.
            doc.version = version.or(doc.version);
            return true;
        }
        doc.cancel.store(true, Ordering::Relaxed);
        doc.cancel = Arc::new(AtomicBool::new(false));
        doc.generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        doc.version = version.or(doc.version);
        doc.text = text;
        doc.findings = None;
        true
    }

    /// The generation of an open document (see [`Document::generation`]).
    fn generation_of(&self, uri: &Uri) -> Option<u64> {
        self.documents
            .lock()
            .ok()
            .and_then(|d| d.get(uri).map(|doc| doc.generation))
    }

    /// Scans the current text of a document and publishes its diagnostics, off the request
    /// loop: a slow file never holds up hover or code actions on others. Edits that arrive
    /// while it runs cancel it and schedule their own scan; what a cancelled or overtaken scan
    /// found is never published. No fixed debounce: it would add its delay to every edit, and
    /// a burst of edits read together costs one scan (the earlier ones are cancelled before
    /// they start).
    fn schedule_publish(&self, uri: Uri) {
        if self.pull.lock().map(|p| *p).unwrap_or(false) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            // Let the notifications already read run first: a later edit of the same
            // document supersedes this one before any work is done for it.
            tokio::task::yield_now().await;
            let Some(generation) = this.generation_of(&uri) else {
                return;
            };
            let scanner = this.clone();
            let target = uri.clone();
            let Ok(diagnostics) =
                tokio::task::spawn_blocking(move || scanner.lsp_diagnostics(&target)).await
            else {
                return;
            };
            let _publishing = this.publishing.lock().await;
            if this.generation_of(&uri) != Some(generation) {
                return;
            }
            let version = this.version_of(&uri);
            this.client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        });
    }

    /// [`Backend::findings`], scanning on the blocking pool if the findings are not cached.
    async fn findings_off_loop(&self, uri: &Uri) -> Option<(Vec<Finding>, String, Option<i32>)> {
        let uri = uri.clone();
        self.off_loop(move |this| this.findings(&uri))
            .await
            .flatten()
    }

    /// Runs `work` on the blocking pool, so a scan it may start does not stall the request
    /// loop; `None` if it panicked.
    async fn off_loop<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Backend) -> T + Send + 'static,
    ) -> Option<T> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || work(&this)).await.ok()
    }

    fn fix_edit(
        &self,
        uri: &Uri,
        text: &str,
        fix: &codeguard_engine::DiagnosticFix,
    ) -> WorkspaceEdit {
        let index = LineIndex::new(text);
        let edits = fix
            .edits
            .iter()
            .map(|e| TextEdit {
                range: index.range(e.start_byte, e.end_byte),
                new_text: e.content.clone(),
            })
            .collect();
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some();
        if let Ok(mut p) = self.pull.lock() {
            *p = pull;
        }
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or({
                // Older clients send only the deprecated `rootUri`.
                #[allow(deprecated)]
                params.root_uri.as_ref()
            })
            .and_then(|uri| uri.to_file_path().map(|p| p.into_owned()));
        if let Ok(mut r) = self.root.lock() {
            *r = root;
        }
        if let Some(settings) = params
            .initialization_options
            .as_ref()
            .and_then(Settings::from_value)
            && let Ok(mut s) = self.settings.lock()
        {
            *s = settings;
        }
        self.reload_rules().await;
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "codeguard".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::FULL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new("source.fixAll.codeguard"),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                notebook_document_sync: Some(OneOf::Left(NotebookDocumentSyncOptions {
                    notebook_selector: vec![NotebookSelector::ByNotebook {
                        notebook: Notebook::String("jupyter-notebook".into()),
                        cells: Some(vec![NotebookCellSelector {
                            language: "python".into(),
                        }]),
                    }],
                    save: None,
                })),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("codeguard".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Reload rules and config when rule files change.
        let watch = Registration {
            id: "codeguard-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: Some(json!({"watchers": [
                {"globPattern": "**/*.{yaml,yml}"},
                {"globPattern": "**/{codeguard.toml,.codeguard.toml,pyproject.toml}"}
            ]})),
        };
        let _ = self.client.register_capability(vec![watch]).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.open(&doc.uri, &doc.language_id, doc.version, doc.text);
        self.schedule_publish(doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        let uri = params.text_document.uri;
        if self.update(&uri, Some(params.text_document.version), change.text) {
            self.schedule_publish(uri);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let open = match params.text {
            Some(text) => self.update(&uri, None, text),
            None => self.generation_of(&uri).is_some(),
        };
        if open {
            self.schedule_publish(uri);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let _publishing = self.publishing.lock().await;
        if let Some(doc) = self.documents.lock().ok().and_then(|mut d| d.remove(&uri)) {
            doc.cancel.store(true, Ordering::Relaxed);
        }
        if !self.pull.lock().map(|p| *p).unwrap_or(false) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn notebook_did_open(&self, params: DidOpenNotebookDocumentParams) {
        let uri = params.notebook_document.uri.clone();
        let notebook = OpenNotebook::open(params);
        if let Ok(mut notebooks) = self.notebooks.lock() {
            notebooks.insert(uri.clone(), notebook);
        }
        self.publish_notebook(&uri, Vec::new()).await;
    }

    async fn notebook_did_change(&self, params: DidChangeNotebookDocumentParams) {
        let uri = params.notebook_document.uri;
        let version = params.notebook_document.version;
        let gone = {
            let Ok(mut notebooks) = self.notebooks.lock() else {
                return;
            };
            let Some(notebook) = notebooks.get_mut(&uri) else {
                eprintln!(
                    "codeguard lsp: change to notebook {}, which is not open, ignored",
                    uri.as_str()
                );
                return;
            };
            if version < notebook.version {
                // Changes are incremental: one older than what is held cannot apply.
                eprintln!(
                    "codeguard lsp: notebook {}: version {version} after {}, ignored",
                    uri.as_str(),
                    notebook.version
                );
                return;
            }
            notebook.apply(&uri, version, params.change)
        };
        self.publish_notebook(&uri, gone).await;
    }

    async fn notebook_did_close(&self, params: DidCloseNotebookDocumentParams) {
        let uri = params.notebook_document.uri;
        let mut cells: Vec<Uri> = params
            .cell_text_documents
            .into_iter()
            .map(|c| c.uri)
            .collect();
        if let Some(notebook) = self.notebooks.lock().ok().and_then(|mut n| n.remove(&uri)) {
            for cell in notebook.cell_uris() {
                if !cells.contains(&cell) {
                    cells.push(cell);
                }
            }
        }
        for cell in cells {
            self.client
                .publish_diagnostics(cell, Vec::new(), None)
                .await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if let Some(settings) = Settings::from_value(&params.settings)
            && let Ok(mut s) = self.settings.lock()
        {
            *s = settings;
        }
        self.reload_rules().await;
        self.republish_all().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.reload_rules().await;
        self.republish_all().await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = &params.text_document.uri;
        // Cells have their diagnostics pushed (see `publish_notebook`); a client that also
        // pulls for cells keeps pulled ones apart and would show each finding twice.
        let items = if self.is_cell(uri) {
            Vec::new()
        } else {
            let uri = uri.clone();
            self.off_loop(move |this| this.lsp_diagnostics(&uri))
                .await
                .unwrap_or_default()
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((findings, text, _)) = self.findings_off_loop(&uri).await else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        let only = params.context.only.clone().unwrap_or_default();
        let wants =
            |kind: &str| only.is_empty() || only.iter().any(|k| kind.starts_with(k.as_str()));
        let mut actions = Vec::new();
        let lang = self.lang_of(&uri);

        if wants("quickfix") {
            for finding in &findings {
                let range = index.range(finding.range.start_byte, finding.range.end_byte);
                if range.end < params.range.start || params.range.end < range.start {
                    continue;
                }
                let lsp_diag = params
                    .context
                    .diagnostics
                    .iter()
                    .find(|d| {
                        d.code == Some(NumberOrString::String(finding.rule_id.clone()))
                            && d.range == range
                    })
                    .cloned();
                if let Some(fix) = &finding.fix {
                    let suggested = fix.applicability == Applicability::Suggested;
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!(
                            "{}{} ({})",
                            fix.title,
                            if suggested {
                                " (may change behaviour)"
                            } else {
                                ""
                            },
                            finding.rule_id
                        ),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: lsp_diag.clone().map(|d| vec![d]),
                        edit: Some(self.fix_edit(&uri, &text, fix)),
                        is_preferred: Some(!suggested),
                        ..CodeAction::default()
                    }));
                }
                if let Some(lang) = lang {
                    let line_start = text[..finding.range.start_byte]
                        .rfind('\n')
                        .map_or(0, |i| i + 1);
                    let line_end = text[line_start..]
                        .find('\n')
                        .map_or(text.len(), |i| line_start + i);
                    let comment = codeguard_engine::suppress::comment_for(
                        lang,
                        &text[line_start..line_end],
                        &finding.rule_id,
                    );
                    let at = index.position(line_start);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Disable {} for this line", finding.rule_id),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: lsp_diag.map(|d| vec![d]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(
                                uri.clone(),
                                vec![TextEdit {
                                    range: Range::new(at, at),
                                    new_text: comment,
                                }],
                            )])),
                            ..WorkspaceEdit::default()
                        }),
                        ..CodeAction::default()
                    }));
                }
            }
        }
        if wants("source.fixAll.codeguard") {
            let edits: Vec<codeguard_engine::Edit> = findings
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe)
                .flat_map(|f| f.edits.clone())
                .collect();
            if !edits.is_empty() {
                let fix = codeguard_engine::DiagnosticFix {
                    title: "Fix all".into(),
                    applicability: Applicability::Safe,
                    edits: non_overlapping(edits),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "codeguard: apply all safe fixes".into(),
                    kind: Some(CodeActionKind::new("source.fixAll.codeguard")),
                    edit: Some(self.fix_edit(&uri, &text, &fix)),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let Some((findings, text, _)) = self.findings_off_loop(&uri).await else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        let rules = self.rules();
        let docs: Vec<String> = findings
            .iter()
            .filter(|f| {
                let range = index.range(f.range.start_byte, f.range.end_byte);
                range.start <= position && position <= range.end
            })
            .filter_map(|f| rules.find(&f.rule_id))
            .map(|r| {
                format!(
                    "**{} {}** ({})\n\n{}",
                    r.id,
                    r.name,
                    r.severity.as_str(),
                    r.description
                )
            })
            .collect();
        if docs.is_empty() {
            return Ok(None);
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: docs.join("\n\n---\n\n"),
            }),
            range: None,
        }))
    }
}

fn non_overlapping(mut edits: Vec<codeguard_engine::Edit>) -> Vec<codeguard_engine::Edit> {
    edits.sort_by_key(|e| (e.start_byte, e.end_byte));
    let mut out: Vec<codeguard_engine::Edit> = Vec::new();
    for edit in edits {
        if out
            .last()
            .is_none_or(|last| last.end_byte <= edit.start_byte)
        {
            out.push(edit);
        }
    }
    out
}

/// Runs the server on stdin/stdout until the client exits.
pub fn run_stdio(loader: RuleLoader) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::build(|client| Backend::new(client, loader))
            .custom_method("codeguard/invalidMessage", Backend::invalid_message)
            .finish();
        let (server_in, filter_out) = tokio::io::duplex(1 << 16);
        tokio::spawn(sanitize(tokio::io::stdin(), filter_out));
        Server::new(server_in, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    Ok(())
}

impl Backend {
    /// Stands in for a message that was not JSON (see [`sanitize`]).
    async fn invalid_message(&self, _: Value) -> Result<Value> {
        Err(tower_lsp_server::jsonrpc::Error::parse_error())
    }
}

/// The largest message body passed on; a larger announced `Content-Length` is refused.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// The longest header line read; longer lines are dropped in pieces, never held whole.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Headers per message (LSP has two).
const MAX_HEADERS: usize = 32;

/// A bounded framing filter in front of tower-lsp-server: copies well-formed messages from
/// `input` to `output`, and answers or drops the rest with a line on stderr (the LSP log).
///
/// tower-lsp-server reads stdin with tokio-util's `FramedRead` and its own codec, and neither
/// can be configured: the codec takes any `Content-Length` (it would buffer a 10 GB body as it
/// arrives), and the stream ends for good at the first error it returns (a body that is JSON
/// but not a JSON-RPC message, invalid UTF-8, an unknown charset), which turns one bad message
/// into a dead server. So messages are validated here first:
///
/// - header lines are read at most [`MAX_HEADER_LINE`] bytes at a time, at most
///   [`MAX_HEADERS`] per message;
/// - a message without a usable `Content-Length`, or announcing more than [`MAX_BODY`], is
///   dropped; reading resumes at the next `Content-Length` header, found even when glued to
///   the end of a previous body;
/// - a body that is not a JSON-RPC request, notification or response is replaced by a
///   request the server answers with a parse error.
async fn sanitize(
    input: impl tokio::io::AsyncRead + Unpin,
    mut output: impl tokio::io::AsyncWrite + Unpin,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const REPLACEMENT: &str =
        r#"{"jsonrpc":"2.0","id":null,"method":"codeguard/invalidMessage","params":null}"#;
    let mut reader = tokio::io::BufReader::new(input);
    loop {
        let mut length: Option<std::result::Result<usize, ()>> = None;
        let mut headers = 0;
        loop {
            let Some((line, too_long)) = read_header_line(&mut reader).await else {
                return;
            };
            if too_long {
                eprintln!("codeguard lsp: dropped a header line over {MAX_HEADER_LINE} bytes");
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            headers += 1;
            // Resynchronise on a `Content-Length` glued to the end of garbage or of a
            // dropped body.
            let lower = line.to_ascii_lowercase();
            if let Some(at) = lower.rfind("content-length:") {
                let value = line[at + "content-length:".len()..].trim();
                length = Some(value.parse::<usize>().map_err(|_| ()));
                headers = 1;
            } else if too_long {
                length = None;
                headers = 0;
            } else if headers > MAX_HEADERS {
                eprintln!("codeguard lsp: more than {MAX_HEADERS} header lines, dropped");
                length = None;
                headers = 0;
            }
        }
        let length = match length {
            Some(Ok(length)) if length <= MAX_BODY => length,
            Some(Ok(length)) => {
                eprintln!(
                    "codeguard lsp: dropped a message announcing {length} bytes (limit {MAX_BODY})"
                );
                continue;
            }
            Some(Err(())) => {
                eprintln!("codeguard lsp: dropped a message with an unreadable Content-Length");
                continue;
            }
            None => {
                if headers > 0 {
                    eprintln!("codeguard lsp: dropped a message without Content-Length");
                }
                continue;
            }
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let body = if is_jsonrpc_message(&body) {
            body
        } else {
            eprintln!("codeguard lsp: a {length}-byte body is not a JSON-RPC message");
            REPLACEMENT.as_bytes().to_vec()
        };
        let frame = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(frame.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
        {
            return;
        }
        let _ = output.flush().await;
    }
}

/// Reads one header line (up to `\n`), keeping at most its last [`MAX_HEADER_LINE`] bytes
/// (the end of a longer line may still hold the next `Content-Length`): the kept bytes and
/// whether the line was longer. `None` at the end of the input.
async fn read_header_line(
    reader: &mut (impl tokio::io::AsyncBufRead + Unpin),
) -> Option<(Vec<u8>, bool)> {
    use tokio::io::AsyncBufReadExt;
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await.ok()?;
        if available.is_empty() {
            return None;
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let used = chunk.len();
        line.extend_from_slice(chunk);
        if line.len() > MAX_HEADER_LINE {
            too_long = true;
            line.drain(..line.len() - MAX_HEADER_LINE);
        }
        reader.consume(used);
        if done {
            return Some((line, too_long));
        }
    }
}

/// Whether a body is what tower-lsp-server decodes: UTF-8 JSON, a request or notification
/// (`method`, optional `id` and `params`) or a response (`id` with `result` or `error`).
fn is_jsonrpc_message(body: &[u8]) -> bool {
    use tower_lsp_server::jsonrpc::{Request, Response};
    std::str::from_utf8(body).is_ok_and(|text| {
        serde_json::from_str::<Request>(text).is_ok()
            || serde_json::from_str::<Response>(text).is_ok()
    })
}
