// The few messages every demo mailbox holds: enough for the fake OWA pages to show a list.

export interface DemoMessage {
  id: string;
  from: string;
  subject: string;
  read: boolean;
}

export function inboxOf(user: string): DemoMessage[] {
  return [
    { id: 'welcome', from: 'Demo Exchange', subject: `Welcome, ${user}: this mailbox is an imitation`, read: false },
    { id: 'timeout', from: 'IT Help Desk', subject: 'Why Outlook Web App signs you out after a while', read: false },
    { id: 'lunch', from: 'Bob', subject: 'Lunch on Friday?', read: true },
  ];
}

export function unreadCount(messages: readonly DemoMessage[]): number {
  return messages.filter((m) => !m.read).length;
}
