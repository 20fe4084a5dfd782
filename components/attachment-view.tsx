import { formatSize } from "@/utils/format";
import { safeMediaSrc } from "@/utils/markdown";
import type { Attachment } from "@/utils/protocol";

const KIND_LABEL: Record<Attachment["kind"], string> = {
  image: "Image",
  document: "Document",
  audio: "Audio",
  video: "Video",
};

/**
 * An image, document, audio or video inline, with its type, size and a
 * download link. Only http(s) URLs are used; anything else shows the details
 * without a link.
 */
export function AttachmentView({ a }: { a: Attachment }) {
  const href = safeMediaSrc(a.url);
  const preview = a.kind === "image" ? safeMediaSrc(a.thumbnail_url ?? a.url) : href;
  return (
    <figure class={`attachment attachment-${a.kind}`} data-kind={a.kind}>
      {a.kind === "image" && preview && (
        <img
          class="attachment-image"
          src={preview}
          alt={a.name}
          loading="lazy"
          referrerpolicy="no-referrer"
        />
      )}
      {a.kind === "audio" && href && (
        <audio class="attachment-audio" controls preload="none" src={href} aria-label={a.name}>
          <track kind="captions" />
        </audio>
      )}
      {a.kind === "video" && href && (
        <video class="attachment-video" controls preload="none" src={href} aria-label={a.name}>
          <track kind="captions" />
        </video>
      )}
      <figcaption class="attachment-meta">
        {a.kind === "document" && (
          <span class="doc-icon" aria-hidden="true">
            ▤
          </span>
        )}
        <span class="attachment-name">{a.name}</span>
        <span class="attachment-type">
          {KIND_LABEL[a.kind]} · {a.mime} · {formatSize(a.size)}
        </span>
        {href ? (
          <a
            class="attachment-download"
            href={href}
            download={a.name}
            target="_blank"
            rel="noopener noreferrer"
          >
            Download
          </a>
        ) : (
          <span class="attachment-nolink">link unavailable</span>
        )}
      </figcaption>
    </figure>
  );
}
