/** Shown while this supervisor silently co-browses the session. */
export function CobrowseIndicator({ on }: { on: boolean }) {
  return (
    <p class="iv-cobrowse" role="status" data-on={on ? "true" : "false"}>
      {on ? (
        <>
          <span class="iv-cobrowse-dot" aria-hidden="true" />
          Co-browsing silently — neither the user nor the agent is told.
        </>
      ) : null}
    </p>
  );
}
