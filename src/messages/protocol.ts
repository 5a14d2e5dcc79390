// The one typed message protocol between the background and the extension's pages.
// Names say the direction: `ui-bg-*` from a page to the background, `bg-ui-*` back.

export type UiMessage = { type: 'ui-bg-ping' };

export type BgResponse = { type: 'bg-ui-pong'; version: string };

const uiMessageTypes: ReadonlySet<string> = new Set<UiMessage['type']>(['ui-bg-ping']);

export function isUiMessage(value: unknown): value is UiMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    uiMessageTypes.has((value as { type: string }).type)
  );
}
