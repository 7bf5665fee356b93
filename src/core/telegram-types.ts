/**
 * Wire types of the Telegram Bot API, in its own snake_case, limited to the fields we read.
 * Reference: https://core.telegram.org/bots/api#available-types
 */

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  is_forum?: boolean;
}

export interface Message {
  message_id: number;
  message_thread_id?: number;
  from?: User;
  sender_chat?: Chat;
  date: number;
  chat: Chat;
  text?: string;
  caption?: string;
  is_topic_message?: boolean;
  migrate_to_chat_id?: number;
  migrate_from_chat_id?: number;
  forum_topic_created?: { name: string };
  reply_to_message?: Message;
}

export interface ChatMember {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  user: User;
}

export interface ChatMemberUpdated {
  chat: Chat;
  from: User;
  date: number;
  old_chat_member: ChatMember;
  new_chat_member: ChatMember;
}

export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  channel_post?: Message;
  edited_channel_post?: Message;
  my_chat_member?: ChatMemberUpdated;
}

/** https://core.telegram.org/bots/api#responseparameters */
export interface ResponseParameters {
  migrate_to_chat_id?: number;
  retry_after?: number;
}

export interface ChatFullInfo extends Chat {
  description?: string;
}

export interface WebhookInfo {
  url: string;
  pending_update_count: number;
  last_error_message?: string;
}

export type ParseMode = 'HTML' | 'MarkdownV2';

export interface SendMessageParams {
  chat_id: number | string;
  text: string;
  message_thread_id?: number;
  parse_mode?: ParseMode;
  disable_notification?: boolean;
  link_preview_options?: { is_disabled: boolean };
}
