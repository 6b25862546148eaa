-- What a unit's members are called: party (đảng viên), youth (đoàn viên), association (hội viên) or member (thành viên).
ALTER TABLE units ADD COLUMN member_word VARCHAR(20) NOT NULL DEFAULT 'member';
