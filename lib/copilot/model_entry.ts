/**
 * One entry of Copilot's `GET /models` answer as the agent routes and the agent launchers read
 * it (docs/copilot-protocol.md §3.1): the id, the endpoints it is served on, its type and limits.
 *
 * @module
 */

/** The fields of a `/models` entry the agent routes and launchers read. */
export interface ModelEntry {
  /** Copilot model id, e.g. `claude-sonnet-4.5`. */
  id: string;
  /** Endpoints the model is served on; absent means chat only. */
  supported_endpoints?: string[];
  /** Type, family and limits. */
  capabilities?: {
    type?: string;
    family?: string;
    limits?: { max_prompt_tokens?: number; max_output_tokens?: number };
    supports?: Record<string, unknown>;
  };
  /** Whether Copilot's chat default. */
  is_chat_default?: boolean;
  /** Whether shown in model pickers. */
  model_picker_enabled?: boolean;
}
