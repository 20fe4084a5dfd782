/** Why a viewer sees no intervention controls (said once, in place of the toolbar). */
export function ViewerNotice({ roles }: { roles: string }) {
  return (
    <p class="iv-viewer-notice" role="note">
      You can watch but not intervene: your role ({roles}) does not have the sessions:intervene permission.
    </p>
  );
}
