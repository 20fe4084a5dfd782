/**
 * `<KeywordCoverage filters={filters} sessionId={id} />`: a short note, shown
 * only while a keyword filter is set and the keyword index has dropped older
 * messages of this session (so the search covered its recent messages only).
 */
import type { FilterModel } from "@/utils/filters";

export function KeywordCoverage({ filters, sessionId }: { filters: FilterModel; sessionId: string }) {
  if (!filters.keyword.value || !filters.keywordPartial(sessionId)) return null;
  return (
    <span class="flt-coverage" title="Older messages of this conversation are no longer indexed">
      Searched recent messages only
    </span>
  );
}
