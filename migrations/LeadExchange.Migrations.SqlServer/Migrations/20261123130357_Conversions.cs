using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Conversions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "WebmasterDailyCap",
                table: "Offers",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WebmasterMonthlyCap",
                table: "Offers",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AdvertiserPostbackSettings",
                columns: table => new
                {
                    AdvertiserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Token = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    SigningSecret = table.Column<string>(type: "varchar(64)", unicode: false, maxLength: 64, nullable: false),
                    RequireSignature = table.Column<bool>(type: "bit", nullable: false),
                    AllowedIps = table.Column<string>(type: "varchar(1000)", unicode: false, maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdvertiserPostbackSettings", x => x.AdvertiserId);
                });

            migrationBuilder.CreateTable(
                name: "CapCounters",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "varchar(520)", unicode: false, maxLength: 520, nullable: false),
                    Period = table.Column<string>(type: "varchar(16)", unicode: false, maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CapCounters", x => new { x.Scope, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "Conversions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClickId = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    OfferId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ParticipationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GoalId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GoalCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AdvertiserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    WebmasterId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    TxKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Currency = table.Column<string>(type: "varchar(3)", unicode: false, maxLength: 3, nullable: false),
                    SaleAmount = table.Column<long>(type: "bigint", nullable: true),
                    AdvertiserAmount = table.Column<long>(type: "bigint", nullable: false),
                    WebmasterAmount = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ReviewRequired = table.Column<bool>(type: "bit", nullable: false),
                    FraudFlags = table.Column<string>(type: "varchar(200)", unicode: false, maxLength: 200, nullable: true),
                    HoldId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    LeadId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Sub1 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub2 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub3 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub4 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Sub5 = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ClickIp = table.Column<string>(type: "varchar(45)", unicode: false, maxLength: 45, nullable: false),
                    ClickedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    HoldUntil = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Note = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PostbackDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    WebmasterId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ConversionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OutboxMessageId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Attempt = table.Column<int>(type: "int", nullable: false),
                    ConversionStatus = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    HttpStatus = table.Column<int>(type: "int", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    DurationMs = table.Column<long>(type: "bigint", nullable: false),
                    Success = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostbackDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PostbackLog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AdvertiserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    Source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Method = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    Query = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Ip = table.Column<string>(type: "varchar(45)", unicode: false, maxLength: 45, nullable: true),
                    HttpStatus = table.Column<int>(type: "int", nullable: false),
                    Result = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Message = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ConversionId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ClickId = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostbackLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebmasterPostbackSettings",
                columns: table => new
                {
                    WebmasterId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    UrlTemplate = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "int", nullable: false),
                    DisabledAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DisabledReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebmasterPostbackSettings", x => x.WebmasterId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdvertiserPostbackSettings_Token",
                table: "AdvertiserPostbackSettings",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_AdvertiserId_CreatedAt",
                table: "Conversions",
                columns: new[] { "AdvertiserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_ClickId_GoalId_TxKey",
                table: "Conversions",
                columns: new[] { "ClickId", "GoalId", "TxKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_OfferId_ClickIp_CreatedAt",
                table: "Conversions",
                columns: new[] { "OfferId", "ClickIp", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_OfferId_WebmasterId_CreatedAt",
                table: "Conversions",
                columns: new[] { "OfferId", "WebmasterId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_WebmasterId_CreatedAt",
                table: "Conversions",
                columns: new[] { "WebmasterId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PostbackDeliveries_ConversionId",
                table: "PostbackDeliveries",
                column: "ConversionId");

            migrationBuilder.CreateIndex(
                name: "IX_PostbackDeliveries_WebmasterId_CreatedAt",
                table: "PostbackDeliveries",
                columns: new[] { "WebmasterId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PostbackLog_AdvertiserId_ReceivedAt",
                table: "PostbackLog",
                columns: new[] { "AdvertiserId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdvertiserPostbackSettings");

            migrationBuilder.DropTable(
                name: "CapCounters");

            migrationBuilder.DropTable(
                name: "Conversions");

            migrationBuilder.DropTable(
                name: "PostbackDeliveries");

            migrationBuilder.DropTable(
                name: "PostbackLog");

            migrationBuilder.DropTable(
                name: "WebmasterPostbackSettings");

            migrationBuilder.DropColumn(
                name: "WebmasterDailyCap",
                table: "Offers");

            migrationBuilder.DropColumn(
                name: "WebmasterMonthlyCap",
                table: "Offers");
        }
    }
}
