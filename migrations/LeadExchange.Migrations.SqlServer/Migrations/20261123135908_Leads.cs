using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Leads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Blocklist",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Value = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Blocklist", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeadDedupKeys",
                columns: table => new
                {
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ContactHash = table.Column<string>(type: "varchar(64)", unicode: false, maxLength: 64, nullable: false),
                    LeadId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadDedupKeys", x => new { x.NicheCode, x.ContactHash });
                });

            migrationBuilder.CreateTable(
                name: "LeadForms",
                columns: table => new
                {
                    Code = table.Column<string>(type: "varchar(12)", unicode: false, maxLength: 12, nullable: false),
                    WebmasterId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OfferId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Title = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: true),
                    IsActive = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadForms", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "Leads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SellerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    NicheCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RegionCode = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Source = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    OfferId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ClickId = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: true),
                    Sub1 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub2 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub3 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub4 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub5 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ContactCipher = table.Column<string>(type: "varchar(2000)", unicode: false, maxLength: 2000, nullable: false),
                    MaskedName = table.Column<string>(type: "nvarchar(110)", maxLength: 110, nullable: false),
                    MaskedPhone = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    MaskedEmail = table.Column<string>(type: "nvarchar(254)", maxLength: 254, nullable: true),
                    PhoneCountry = table.Column<string>(type: "varchar(2)", unicode: false, maxLength: 2, nullable: false),
                    FieldsJson = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    ConsentText = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    ConsentGivenAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ConsentPageUrl = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    ConsentIp = table.Column<string>(type: "varchar(45)", unicode: false, maxLength: 45, nullable: true),
                    SubmitIp = table.Column<string>(type: "varchar(45)", unicode: false, maxLength: 45, nullable: true),
                    FormFillSeconds = table.Column<int>(type: "int", nullable: true),
                    Score = table.Column<int>(type: "int", nullable: false),
                    Temperature = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    ScoreBreakdownJson = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Currency = table.Column<string>(type: "varchar(3)", unicode: false, maxLength: 3, nullable: false),
                    Price = table.Column<long>(type: "bigint", nullable: false),
                    PriceBreakdownJson = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    RejectReason = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    DuplicateOf = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    FraudFlags = table.Column<string>(type: "varchar(200)", unicode: false, maxLength: 200, nullable: true),
                    SoldCount = table.Column<int>(type: "int", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    FirstAnswerJson = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leads", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Blocklist_Kind_Value",
                table: "Blocklist",
                columns: new[] { "Kind", "Value" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeadForms_WebmasterId",
                table: "LeadForms",
                column: "WebmasterId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ClickId",
                table: "Leads",
                column: "ClickId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_NicheCode_RegionCode_Status_CreatedAt",
                table: "Leads",
                columns: new[] { "NicheCode", "RegionCode", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_SellerId_CreatedAt",
                table: "Leads",
                columns: new[] { "SellerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_SellerId_IdempotencyKey",
                table: "Leads",
                columns: new[] { "SellerId", "IdempotencyKey" },
                unique: true,
                filter: "[IdempotencyKey] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Blocklist");

            migrationBuilder.DropTable(
                name: "LeadDedupKeys");

            migrationBuilder.DropTable(
                name: "LeadForms");

            migrationBuilder.DropTable(
                name: "Leads");
        }
    }
}
