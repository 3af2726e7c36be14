// VS Code client for `codeguard lsp`: starts the server for Python and Rust files and passes
// the `codeguard.*` settings as initialization options (and on change).
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function settings() {
  const config = vscode.workspace.getConfiguration("codeguard");
  return {
    codeguard: {
      select: config.get<string[]>("select", []),
      ignore: config.get<string[]>("ignore", []),
      rules: config.get<string[]>("rules", []),
    },
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration("codeguard").get<string>("path", "");
  const command = configured.trim() !== "" ? configured : "codeguard";
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "file", language: "rust" },
      { scheme: "file", language: "javascript" },
      { scheme: "file", language: "javascriptreact" },
      { scheme: "file", language: "typescript" },
      { scheme: "file", language: "typescriptreact" },
      { scheme: "untitled", language: "python" },
      { scheme: "untitled", language: "rust" },
      { scheme: "untitled", language: "javascript" },
      { scheme: "untitled", language: "typescript" },
      // MCP client configurations (the server ignores other JSON files).
      { scheme: "file", pattern: "**/{mcp,.mcp,*.mcp,claude_desktop_config,mcp_settings,cline_mcp_settings,mcp_config}.json" },
    ],
    initializationOptions: settings(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{yaml,yml}"),
    },
  };
  client = new LanguageClient("codeguard", "codeguard", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("codeguard") && client) {
        void client.sendNotification("workspace/didChangeConfiguration", { settings: settings() });
      }
    }),
  );
  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `codeguard: could not start \`${command} lsp\` (${String(error)}). Install codeguard or set "codeguard.path".`,
    );
  }
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
