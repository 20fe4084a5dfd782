/**
 * Keyword search across the messages of the listed sessions. Every keystroke
 * updates the filter (the keyword index answers incrementally); Escape clears.
 */
import type { FilterModel } from "@/utils/filters";
import { KEYWORD_MAX } from "@/utils/filters";

export function KeywordInput({ filters }: { filters: FilterModel }) {
  return (
    <div class="flt-group flt-keyword">
      <input
        type="search"
        class="flt-search"
        placeholder="Search messages…"
        aria-label="Search messages"
        maxLength={KEYWORD_MAX}
        value={filters.spec.value.keyword}
        onInput={(e) => filters.setKeyword(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && e.currentTarget.value) {
            e.preventDefault();
            filters.setKeyword("");
          }
        }}
      />
    </div>
  );
}
