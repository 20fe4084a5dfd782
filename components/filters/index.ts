/**
 * Filter UI for the side panel. Mount with the models from
 * `@/utils/filters` and `@/utils/saved-views`, and import `./filters.css`.
 * See docs/filters.md.
 */
export { AgentPicker } from "./agent-picker";
export { DurationInput } from "./duration-input";
export { FilterBar } from "./filter-bar";
export { FilterChips } from "./filter-chips";
export { Highlight, type HighlightProps, KeywordSnippet } from "./highlight";
export { highlightElement } from "./highlight-dom";
export { KeywordCoverage } from "./keyword-coverage";
export { KeywordInput } from "./keyword-input";
export { SavedViewsMenu } from "./saved-views-menu";
export { ToggleGroup } from "./toggle-group";
